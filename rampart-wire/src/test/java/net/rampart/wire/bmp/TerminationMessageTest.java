package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminationMessageTest {

    @Test
    void aTerminationWrittenForTheRouterDecodesWithItsReasonAndText() {
        byte[] message = TerminationMessage.encode(BmpMessage.Termination.UNSPECIFIED,
                "connection to the collector ended: connection closed by the router");

        BmpMessage decoded = BmpMessageDecoder.decode(message);

        assertThat(decoded).isInstanceOfSatisfying(BmpMessage.Termination.class, termination -> {
            assertThat(termination.reason()).isEqualTo(BmpMessage.Termination.UNSPECIFIED);
            assertThat(InformationTlv.firstText(termination.information(), InformationTlv.STRING))
                    .isEqualTo("connection to the collector ended: connection closed by the router");
        });
        assertThat(message.length).isEqualTo(6 + 4 + 66 + 4 + 2);
    }
}
