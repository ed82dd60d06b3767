package net.rampart.server.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigExceptionTest {

    @Test
    void aProblemSpanningLinesIsReportedOnOne() {
        // The shape of a YAML parser's error: a description, then the offending line and a caret.
        var e = new ConfigException("RAMPART_INVENTORY", """
                inventory.yaml: not valid YAML: while parsing a flow mapping
                 in 'reader', line 1, column 14:
                    customers: [ {id: x
                                 ^
                """);
        assertThat(e.getMessage()).doesNotContain("\n", "\r").isEqualTo("RAMPART_INVENTORY: inventory.yaml: not valid "
                + "YAML: while parsing a flow mapping in 'reader', line 1, column 14: customers: [ {id: x ^");
        assertThat(e.setting()).isEqualTo("RAMPART_INVENTORY");
    }
}
