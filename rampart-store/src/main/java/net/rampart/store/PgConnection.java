package net.rampart.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where PostgreSQL's own programs find the database: libpq's connection parameters. The password
 * is given to them in their environment ({@link #environment}), never on a command line that
 * {@code ps} shows.
 *
 * @param sslMode libpq's {@code sslmode}, or null for its default
 */
public record PgConnection(String host, int port, String database, String user, String password, String sslMode) {

    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    /**
     * The parameters of a JDBC URL ({@code jdbc:postgresql://host[:port]/database[?user=&password=&sslmode=]});
     * {@code user} and {@code password}, when not null, win over the URL's.
     *
     * @throws IllegalArgumentException for a URL of another form, several hosts among them
     */
    public static PgConnection ofJdbc(String url, String user, String password) {
        if (!url.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        String rest = url.substring(JDBC_PREFIX.length());
        int query = rest.indexOf('?');
        Map<String, String> parameters = query < 0 ? Map.of() : parameters(rest.substring(query + 1));
        String location = query < 0 ? rest : rest.substring(0, query);
        int slash = location.indexOf('/');
        if (slash <= 0 || slash == location.length() - 1 || location.substring(0, slash).contains(",")) {
            throw new IllegalArgumentException("a PostgreSQL JDBC URL with one host and a database is needed: " + url);
        }
        String hostPort = location.substring(0, slash);
        String host = hostPort;
        int port = 5432;
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, colon);
            port = Integer.parseInt(hostPort.substring(colon + 1));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String database = URLDecoder.decode(location.substring(slash + 1), StandardCharsets.UTF_8);
        return new PgConnection(host, port, database, user != null ? user : parameters.get("user"),
                password != null ? password : parameters.get("password"), parameters.get("sslmode"));
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** libpq's keyword/value connection string, for a program's {@code --dbname}; without the password. */
    public String conninfo() {
        StringBuilder out = new StringBuilder();
        append(out, "host", host);
        append(out, "port", Integer.toString(port));
        append(out, "dbname", database);
        append(out, "user", user);
        append(out, "sslmode", sslMode);
        return out.toString();
    }

    /** What a program's environment needs besides {@link #conninfo()}: the password, when there is one. */
    public Map<String, String> environment() {
        return password == null ? Map.of() : Map.of("PGPASSWORD", password);
    }

    private static void append(StringBuilder out, String keyword, String value) {
        if (value == null) {
            return;
        }
        if (!out.isEmpty()) {
            out.append(' ');
        }
        // libpq's rule: a value in single quotes, with backslash before a quote or a backslash.
        out.append(keyword).append("='").append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
    }

    @Override
    public String toString() {
        // The record's generated toString would print the password.
        return "PgConnection[" + conninfo() + "]";
    }
}
