package net.rampart.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher and the Maven wrapper find a JDK 21+ by themselves, and say so in one line when
 * there is none; the launcher bounds the service's memory by {@code RAMPART_MEMORY}.
 */
class LauncherIT {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result bash(String script, String... environment) throws IOException, InterruptedException {
        var builder = new ProcessBuilder("bash", "-c", script).directory(REPOSITORY.toFile());
        builder.environment().remove("JAVA_HOME");
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void findsAJdkOfVersion21OrNewerWithoutJavaHome() throws Exception {
        Result found = bash(". .mvn/find-jdk.sh && rampart_find_jdk && rampart_java_major \"$RAMPART_JAVA_HOME/bin/java\"");
        assertThat(found.exit()).as(found.stderr()).isZero();
        assertThat(Integer.parseInt(found.stdout().strip())).isGreaterThanOrEqualTo(21);
    }

    @Test
    void saysInOneLineWhenThereIsNoJdk21(@TempDir Path emptyJvmDir) throws Exception {
        // Only an old-enough shell PATH: no java, no javac.
        Path bin = Files.createDirectories(emptyJvmDir.resolve("bin"));
        for (String tool : List.of("bash", "dirname", "readlink", "sed", "mvn")) {
            Path target = Path.of("/usr/bin", tool);
            if (Files.exists(target)) {
                Files.createSymbolicLink(bin.resolve(tool), target);
            }
        }
        Result launcher = bash("./rampart serve", "PATH", bin.toString(), "RAMPART_JVM_DIR", emptyJvmDir.resolve("jvm").toString());
        assertThat(launcher.exit()).isEqualTo(1);
        assertThat(launcher.stderr().lines()).containsExactly(
                "rampart: no JDK 21 or newer found (looked at JAVA_HOME, PATH and " + emptyJvmDir.resolve("jvm") + "); install one, e.g. Temurin 21+");

        Result wrapper = bash("./mvnw -v", "PATH", bin.toString(), "RAMPART_JVM_DIR", emptyJvmDir.resolve("jvm").toString());
        assertThat(wrapper.exit()).isEqualTo(1);
        assertThat(wrapper.stderr().lines()).hasSize(1).allSatisfy(line -> assertThat(line).contains("no JDK 21 or newer"));
    }

    private static final Pattern OPTION = Pattern.compile("(-Xmx|-XX:[A-Za-z]+=)(\\d+)m");

    /** The options {@code deploy/jvm-memory.sh} derives from {@code value}, in megabytes by option. */
    private static Map<String, Long> memoryOptions(String value) throws Exception {
        Result derived = bash(". deploy/jvm-memory.sh && rampart_memory_options '" + value + "'");
        assertThat(derived.exit()).as(derived.stderr()).isZero();
        Map<String, Long> options = new LinkedHashMap<>();
        for (String word : derived.stdout().strip().split(" +")) {
            Matcher m = OPTION.matcher(word);
            assertThat(m.matches()).as("option %s of %s", word, derived.stdout()).isTrue();
            options.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return options;
    }

    @Test
    void rampartMemoryIsSharedOutBetweenTheHeapAndTheBoundedAreasWithRoomLeftForTheRest() throws Exception {
        for (var setting : Map.of("512m", 512L, "768m", 768L, "1g", 1024L, "2G", 2048L, "2048m", 2048L,
                "16g", 16384L).entrySet()) {
            Map<String, Long> options = memoryOptions(setting.getKey());
            long megabytes = setting.getValue();
            assertThat(options).as(setting.getKey()).containsOnlyKeys("-Xmx", "-XX:MaxDirectMemorySize=",
                    "-XX:ReservedCodeCacheSize=", "-XX:MaxMetaspaceSize=");
            assertThat(options.get("-Xmx")).as(setting.getKey()).isBetween(megabytes * 55 / 100, megabytes * 65 / 100);
            // What no option bounds (GC structures, thread stacks, the JIT) needs the rest: at least 8 %.
            long bounded = options.values().stream().mapToLong(Long::longValue).sum();
            assertThat(bounded).as(setting.getKey() + " " + options).isLessThanOrEqualTo(megabytes * 92 / 100);
        }
        assertThat(memoryOptions("2g")).isEqualTo(memoryOptions("2048m"));
        Result unset = bash(". deploy/jvm-memory.sh && rampart_memory_options ''");
        assertThat(unset.exit()).isZero();
        assertThat(unset.stdout()).isEmpty();
    }

    @Test
    void aMalformedRampartMemoryStopsTheLauncherWithOneLineNamingIt() throws Exception {
        for (String value : List.of("2x", "12.5g", "g", "-1g", "2 g", "100m", "2048g")) {
            Result launcher = bash("./rampart serve", "RAMPART_MEMORY", value);
            assertThat(launcher.exit()).as(value).isEqualTo(2);
            assertThat(launcher.stderr().lines()).as(value).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("rampart: configuration error: RAMPART_MEMORY: '" + value + "' is "));
            assertThat(launcher.stdout()).isEmpty();
        }
    }

    @Test
    void theServiceRunsWithTheBoundsOfRampartMemoryAndRampartJavaOptsWinsOverThem(@TempDir Path dir) throws Exception {
        Map<String, Long> derived = memoryOptions("1g");
        int httpPort = ServiceProcess.freePort();
        // A heap of its own in RAMPART_JAVA_OPTS, different from the derived one; the rest as derived.
        // (A multiple of 8 MB: the JVM rounds the heap up to its alignment.)
        long heap = derived.get("-Xmx") / 2 / 8 * 8;
        var environment = Map.of(
                "RAMPART_MEMORY", "1g",
                "RAMPART_JAVA_OPTS", "-Xmx" + heap + "m",
                "RAMPART_HTTP_PORT", Integer.toString(httpPort),
                "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0",
                "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("data").toString());
        try (var service = ServiceProcess.launch(REPOSITORY, dir, environment);
             var client = HttpClient.newHttpClient()) {
            assertThat(service.awaitReady(httpPort, Duration.ofMinutes(3))).as(service.output()).isTrue();
            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(maxBytes(metrics, "heap", "G1 Old Gen")).isEqualTo(heap << 20);
            assertThat(maxBytes(metrics, "nonheap", "Metaspace")).isEqualTo(derived.get("-XX:MaxMetaspaceSize=") << 20);
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    /** The {@code jvm_memory_max_bytes} of one memory pool, from a Prometheus scrape. */
    private static long maxBytes(String metrics, String area, String pool) {
        Matcher m = Pattern.compile("^jvm_memory_max_bytes\\{area=\"" + area + "\",id=\"" + Pattern.quote(pool)
                + "\"} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as("jvm_memory_max_bytes of %s in%n%s", pool, metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
