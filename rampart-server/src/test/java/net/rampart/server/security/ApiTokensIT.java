package net.rampart.server.security;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import net.rampart.store.Database;
import net.rampart.store.DatabaseErrors;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.auth.PostgresApiTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens against a real PostgreSQL that goes away: the tokens in use keep working, the rest fail as the database's fault. */
class ApiTokensIT {

    @Test
    void withTheDatabaseAwayATokenCheckedBeforeIsStillTakenAndAnUnknownOneFailsAsUnavailable(@TempDir Path dir)
            throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("pg")))) {
            ApiTokens tokens = new ApiTokens(new PostgresApiTokens(database.dataSource()), Clock.systemUTC());
            ApiTokenSecret used = tokens.create("grafana", Scope.READ, "test");
            ApiTokenSecret unused = tokens.create("spare", Scope.READ, "test");
            assertThat(tokens.authenticate(used.secret())).map(Principal::name).contains("grafana");

            database.stopServerNow();

            assertThat(tokens.authenticate(used.secret())).map(Principal::name).contains("grafana");
            assertThatThrownBy(() -> tokens.authenticate(unused.secret())).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(DatabaseErrors.unavailable(e)).isTrue());
        }
    }
}
