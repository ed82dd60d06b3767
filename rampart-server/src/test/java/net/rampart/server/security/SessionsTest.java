package net.rampart.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import net.rampart.mitigation.MutableClock;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static final String SECRET = "rmp_" + "A".repeat(43);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Principal reader = new Principal("t1", "grafana", Scope.READ);

    @Test
    void aSessionIsFoundByItsIdUntilItExpires() {
        Sessions sessions = new Sessions(Duration.ofHours(12), 10, clock);
        Sessions.Session s = sessions.create(reader, SECRET);

        assertThat(s.expiresAt()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(s.tokenHash()).isEqualTo(ApiTokenSecret.hash(SECRET));
        assertThat(s.id()).isNotEqualTo(s.csrfToken()).hasSize(43);
        assertThat(sessions.find(s.id())).contains(s);

        clock.advance(Duration.ofHours(12));
        assertThat(sessions.find(s.id())).as("expired at its expiry").isEmpty();
        assertThat(sessions.size()).as("an expired session is forgotten when asked for").isZero();
    }

    @Test
    void unknownAndSignedOutSessionsAreNotFound() {
        Sessions sessions = new Sessions(Duration.ofHours(1), 10, clock);
        Sessions.Session s = sessions.create(reader, SECRET);

        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("nope")).isEmpty();
        assertThat(sessions.remove(s.id())).isTrue();
        assertThat(sessions.remove(s.id())).isFalse();
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void aFullStoreEvictsExpiredSessionsFirstThenTheOneClosestToExpiry() {
        Sessions sessions = new Sessions(Duration.ofHours(1), 2, clock);
        Sessions.Session first = sessions.create(reader, SECRET);
        clock.advance(Duration.ofMinutes(10));
        Sessions.Session second = sessions.create(reader, SECRET);
        clock.advance(Duration.ofMinutes(10));

        Sessions.Session third = sessions.create(reader, SECRET);
        assertThat(sessions.size()).isEqualTo(2);
        assertThat(sessions.find(first.id())).as("closest to expiry").isEmpty();
        assertThat(sessions.find(second.id())).isPresent();

        clock.advance(Duration.ofMinutes(45)); // second expired, third not
        Sessions.Session fourth = sessions.create(reader, SECRET);
        assertThat(sessions.find(third.id())).isPresent();
        assertThat(sessions.find(fourth.id())).isPresent();
        assertThat(sessions.size()).isEqualTo(2);
    }

    @Test
    void oneTokenSigningInAgainAndAgainReplacesItsOwnOldestSessionNotAnotherTokens() {
        Sessions sessions = new Sessions(Duration.ofHours(1), Sessions.PER_TOKEN + 1, clock);
        Sessions.Session someoneElse = sessions.create(new Principal("t2", "noc", Scope.OPERATOR), SECRET);
        Sessions.Session oldest = sessions.create(reader, SECRET);
        for (int i = 1; i < Sessions.PER_TOKEN; i++) {
            clock.advance(Duration.ofSeconds(1));
            sessions.create(reader, SECRET);
        }
        assertThat(sessions.size()).isEqualTo(Sessions.PER_TOKEN + 1);

        clock.advance(Duration.ofSeconds(1));
        Sessions.Session newest = sessions.create(reader, SECRET);

        assertThat(sessions.find(oldest.id())).as("the token's own oldest session").isEmpty();
        assertThat(sessions.find(someoneElse.id())).as("another token's, as old").isPresent();
        assertThat(sessions.find(newest.id())).isPresent();
        assertThat(sessions.size()).isEqualTo(Sessions.PER_TOKEN + 1);
    }

    @Test
    void theCsrfTokenMustMatchExactly() {
        Sessions.Session s = new Sessions(Duration.ofHours(1), 10, clock).create(reader, SECRET);

        assertThat(s.csrfMatches(s.csrfToken())).isTrue();
        assertThat(s.csrfMatches(null)).isFalse();
        assertThat(s.csrfMatches("")).isFalse();
        assertThat(s.csrfMatches(s.csrfToken().substring(1))).isFalse();
        assertThat(s.csrfMatches(s.id())).isFalse();
    }

    @Test
    void eachSessionHasItsOwnIdAndCsrfToken() {
        Sessions sessions = new Sessions(Duration.ofHours(1), 10, clock);
        Sessions.Session a = sessions.create(reader, SECRET);
        Sessions.Session b = sessions.create(reader, SECRET);

        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken());
    }
}
