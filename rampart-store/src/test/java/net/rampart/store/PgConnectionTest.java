package net.rampart.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgConnectionTest {

    @Test
    void aJdbcUrlGivesLibpqsParametersWithThePasswordKeptApart() {
        PgConnection c = PgConnection.ofJdbc("jdbc:postgresql://db.example.net:6543/rampart?sslmode=require&user=u",
                null, "s3cret");
        assertThat(c).isEqualTo(new PgConnection("db.example.net", 6543, "rampart", "u", "s3cret", "require"));
        assertThat(c.conninfo()).isEqualTo("host='db.example.net' port='6543' dbname='rampart' user='u' sslmode='require'")
                .doesNotContain("s3cret");
        assertThat(c.environment()).containsExactly(java.util.Map.entry("PGPASSWORD", "s3cret"));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void defaultsAndExplicitCredentialsAndIpv6() {
        assertThat(PgConnection.ofJdbc("jdbc:postgresql://[2001:db8::1]/r%20db?user=url&password=fromurl", "given", null))
                .isEqualTo(new PgConnection("2001:db8::1", 5432, "r db", "given", "fromurl", null));
    }

    @Test
    void quotesAndBackslashesAreEscapedAsLibpqReadsThem() {
        assertThat(new PgConnection("h", 5432, "it's\\db", null, null, null).conninfo())
                .isEqualTo("host='h' port='5432' dbname='it\\'s\\\\db'");
    }

    @Test
    void urlsWithSeveralHostsOrNoDatabaseAreRefused() {
        for (String url : new String[] {"jdbc:postgresql://a,b/db", "jdbc:postgresql://a/", "jdbc:mysql://a/db"}) {
            assertThatThrownBy(() -> PgConnection.ofJdbc(url, null, null)).as(url)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
