package net.rampart.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokenSecretTest {

    @Test
    void secretsAreRecognisableDistinctAndHashedToThirtyTwoBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ApiTokenSecret t = ApiTokenSecret.generate();
            assertThat(t.secret()).startsWith("rmp_").hasSize(47);
            assertThat(ApiTokenSecret.looksLikeSecret(t.secret())).isTrue();
            assertThat(t.id()).matches("[0-9a-f]{10}");
            assertThat(t.hash()).hasSize(32).isEqualTo(ApiTokenSecret.hash(t.secret()));
            assertThat(seen.add(t.secret())).isTrue();
        }
    }

    @Test
    void theSecretNeverAppearsInItsStringForm() {
        ApiTokenSecret t = ApiTokenSecret.generate();
        assertThat(t.toString()).contains(t.id()).doesNotContain(t.secret());
    }

    @Test
    void textThatIsNotASecretIsRecognisedBeforeAnyLookup() {
        String valid = ApiTokenSecret.generate().secret();
        assertThat(ApiTokenSecret.looksLikeSecret(valid.substring(1))).isFalse();
        assertThat(ApiTokenSecret.looksLikeSecret(valid + "x")).isFalse();
        assertThat(ApiTokenSecret.looksLikeSecret("rmp_" + "é".repeat(43))).isFalse();
        assertThat(ApiTokenSecret.looksLikeSecret("")).isFalse();
    }

    @Test
    void unknownScopesAreRefusedByName() {
        assertThatThrownBy(() -> Scope.parse("root")).hasMessageContaining("'root'");
    }
}
