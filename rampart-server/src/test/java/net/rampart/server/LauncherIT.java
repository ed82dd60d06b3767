package net.rampart.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher and the Maven wrapper find a JDK 21+ by themselves, and say so in one line when
 * there is none.
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
}
