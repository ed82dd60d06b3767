package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code rampart import-mrt FILE}: streams an MRT file to the service, which loads it into the RIB
 * and route history as a named source, with a progress bar and a summary.
 */
@Command(name = "import-mrt", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "Load an MRT file (TABLE_DUMP, TABLE_DUMP_V2 or BGP4MP; plain, gzip or bzip2) "
        + "into the running service's RIB and route history as a named source.")
final class ImportMrtCommand implements Callable<Integer> {

    @ParentCommand
    RampartCli cli;

    @Parameters(index = "0", paramLabel = "FILE", description = "The MRT file.")
    Path file;

    @Option(names = "--source", description = "Name the routes are kept under (router mrt:NAME); default: the file name.")
    String source;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!Files.isReadable(file)) {
            System.err.println("rampart: cannot read " + file);
            return Exit.USAGE;
        }
        String name = source != null ? source : defaultSource(file);
        var progress = new ProgressBar(Files.size(file));
        ApiClient.Answer a = cli.api().upload("/api/v1/mrt/imports?source=" + ApiClient.query(name),
                HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)));
        progress.finish();
        if (!a.ok()) {
            return ApiClient.exitCode(a);
        }
        JsonNode body = a.body();
        System.out.printf("imported %s as source %s: %,d records, %,d announcements, %,d withdrawals, %d peers, "
                        + "%,d records skipped, %,d bad, in %.1f s%n", file.getFileName(), body.path("source").asText(),
                body.path("records").asLong(), body.path("announcements").asLong(),
                body.path("withdrawals").asLong(), body.path("peers").asInt(),
                body.path("skipped_records").asLong(), body.path("bad_records").asLong(),
                body.path("duration_millis").asLong() / 1000.0);
        if (body.hasNonNull("warning")) {
            // The import succeeded; what it says will not stay in route history is the operator's to know.
            System.err.println("rampart: warning: " + file.getFileName() + ": " + body.path("warning").asText());
        }
        return Exit.OK;
    }

    /** {@code rrc00.bview.20240101.gz} becomes {@code rrc00.bview.20240101}. */
    static String defaultSource(Path file) {
        String name = file.getFileName().toString().replaceAll("\\.(gz|bz2)$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static InputStream counting(Path file, ProgressBar progress) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        progress.advance(n);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
