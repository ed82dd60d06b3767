package net.rampart.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PostmasterPidTest {

    @Test
    void readsTheProcessIdAndDataDirectoryOfAServersLockFile() {
        // As PostgreSQL 17 writes it: pid, data directory, start time, port, socket directory,
        // listen address, shared memory key, status.
        String file = """
                48213
                /srv/rampart/data/postgres
                1732262400
                41877
                /tmp
                127.0.0.1
                  5432001    131074
                ready
                """;

        assertThat(PostmasterPid.parse(file))
                .contains(new PostmasterPid(48213, Path.of("/srv/rampart/data/postgres")));
    }

    @Test
    void aSingleUserBackendsNegatedProcessIdIsItsProcessId() {
        assertThat(PostmasterPid.parse("-48213\n/srv/rampart/data/postgres\n"))
                .contains(new PostmasterPid(48213, Path.of("/srv/rampart/data/postgres")));
    }

    @Test
    void aFileThatDoesNotNameAProcessAndADirectoryNamesNoServer() {
        assertThat(PostmasterPid.parse("")).isEmpty();
        // Cut short, as by a crash while the server wrote it.
        assertThat(PostmasterPid.parse("48213\n")).isEmpty();
        assertThat(PostmasterPid.parse("48213\n\n")).isEmpty();
        assertThat(PostmasterPid.parse("not a pid\n/srv/rampart/data/postgres\n")).isEmpty();
        assertThat(PostmasterPid.parse("0\n/srv/rampart/data/postgres\n")).isEmpty();
        assertThat(PostmasterPid.parse("-9223372036854775808\n/srv/rampart/data/postgres\n")).isEmpty();
    }
}
