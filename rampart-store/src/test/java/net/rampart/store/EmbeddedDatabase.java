package net.rampart.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded PostgreSQL for the tests of one class, migrated like the service's: started before
 * the first test in a directory of its own and stopped, the directory deleted, after the last.
 * Register it as {@code @RegisterExtension static final EmbeddedDatabase database = new EmbeddedDatabase();}.
 */
public final class EmbeddedDatabase implements BeforeAllCallback, AfterAllCallback {

    private Path directory;
    private Database database;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("rampart-store-it");
        database = Database.open(DatabaseSettings.embedded(directory.resolve("pg")));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (database != null) {
            database.close();
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public Database database() {
        return database;
    }

    public DataSource dataSource() {
        return database.dataSource();
    }
}
