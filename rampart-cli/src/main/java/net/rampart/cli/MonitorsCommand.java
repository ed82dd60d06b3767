package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import net.rampart.wire.Asn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rampart monitors generate}: the detection monitors file. */
@Command(name = "monitors", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "The detection monitors file (see docs/detection.md).",
        subcommands = {MonitorsCommand.Generate.class})
final class MonitorsCommand {

    @ParentCommand
    RampartCli cli;

    @Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Draft a monitors file for some ASNs from what the service's RIB and VRPs show now: "
                    + "the prefixes they originate, VRP prefixes not seen announced, other origins inside them, "
                    + "and each ASN's upstreams and downstreams. Review it before use.")
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        MonitorsCommand parent;

        @Option(names = "--asn", required = true, paramLabel = "ASN", converter = AsnConverter.class,
                description = "An AS number (AS65000, 65000 or asdot 1.10); repeat for more, up to 50.")
        List<Long> asns;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Write the file here instead of to standard output.")
        Path output;

        @Option(names = "--force", description = "Overwrite FILE when it exists.")
        boolean force;

        @Override
        public Integer call() throws InterruptedException {
            // Checked before asking, so that a file in the way costs no draft; checked again on writing.
            if (output != null && !force && Files.exists(output)) {
                throw exists();
            }
            String query = asns.stream().map(asn -> "asn=" + asn).collect(Collectors.joining("&"));
            ApiClient.Answer a = parent.cli.api().get("/api/v1/monitors/draft?" + query);
            if (!a.ok()) {
                return ApiClient.exitCode(a);
            }
            String yaml = a.body().path("yaml").textValue();
            if (yaml == null) {
                throw new Failure(Exit.SERVICE_ERROR, "the service's answer has no draft (yaml): "
                        + "is it older than this command?");
            }
            if (output == null) {
                System.out.print(yaml);
                return Exit.OK;
            }
            write(yaml);
            System.out.println("wrote " + output + ": " + summary(a.body()) + "; review it before use");
            return Exit.OK;
        }

        private void write(String yaml) {
            try {
                if (force) {
                    Files.writeString(output, yaml, StandardCharsets.UTF_8);
                } else {
                    // CREATE_NEW: a file that appeared meanwhile is still not overwritten.
                    Files.writeString(output, yaml, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                }
            } catch (FileAlreadyExistsException e) {
                throw exists();
            } catch (IOException e) {
                throw new Failure(Exit.SERVICE_ERROR, "cannot write " + output + ": " + e.getMessage());
            }
        }

        private Failure exists() {
            return new Failure(Exit.USAGE, output + " exists; add --force to overwrite it");
        }

        /** What to look at first: the service marks the entries that need a decision "check before use". */
        private static String summary(JsonNode draft) {
            int prefixes = draft.path("prefixes").size();
            long announced = 0;
            long check = 0;
            for (JsonNode p : draft.path("prefixes")) {
                announced += p.path("announced").asBoolean() ? 1 : 0;
                check += p.path("description").asText().contains("check before use") ? 1 : 0;
            }
            int asns = draft.path("asns").size();
            return prefixes + (prefixes == 1 ? " prefix" : " prefixes") + " (" + announced + " seen announced, "
                    + check + " to check), " + asns + (asns == 1 ? " ASN" : " ASNs");
        }
    }

    /** {@code --asn} read by the project's one ASN parser; a bad one is a usage error naming the option. */
    static final class AsnConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Asn.parse(value.strip());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
