package net.rampart.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import net.rampart.server.notify.SmtpClient.Login;
import net.rampart.server.notify.SmtpClient.SmtpException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP client against a real SMTP conversation on the loopback address, TLS with a self-signed certificate. */
class SmtpClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String MESSAGE = """
            From: rampart@example.net
            To: noc@example.net
            Subject: test

            a line
            .a line that starts with a dot
            .
            ..two dots
            last line
            """;

    @TempDir
    static Path dir;
    private static TestSmtpServer.Certificate certificate;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestSmtpServer.Certificate.make(dir);
    }

    private static SmtpClient client(TestSmtpServer server, boolean starttlsRequired) throws Exception {
        return new SmtpClient("127.0.0.1", server.port(), starttlsRequired,
                SmtpClient.trust(Optional.of(certificate.pem())), TIMEOUT, "rampart.example.net");
    }

    @Test
    void startsTlsThenLogsInWithPlainAndSendsTheMailDotStuffed() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.withStarttls(certificate, "PLAIN LOGIN", "rampart", "s3cret")) {
            client(server, true).send("rampart@example.net", List.of("noc@example.net", "oncall@example.net"), MESSAGE,
                    Optional.of(new Login("rampart", "s3cret")));

            assertThat(server.commands()).containsExactly(
                    "EHLO rampart.example.net",
                    "STARTTLS",
                    "tls EHLO rampart.example.net",
                    "tls AUTH PLAIN rampart s3cret",
                    "tls MAIL FROM:<rampart@example.net>",
                    "tls RCPT TO:<noc@example.net>",
                    "tls RCPT TO:<oncall@example.net>",
                    "tls DATA",
                    "tls QUIT");
            TestSmtpServer.Mail mail = server.mails().getFirst();
            assertThat(mail.from()).isEqualTo("rampart@example.net");
            assertThat(mail.to()).containsExactly("noc@example.net", "oncall@example.net");
            assertThat(mail.dataLines()).containsSubsequence("a line", "..a line that starts with a dot", "..",
                    "...two dots", "last line");
            assertThat(mail.message()).isEqualTo(MESSAGE.replace("\n", "\r\n"));
        }
    }

    @Test
    void logsInWithLoginWhenThatIsAllTheServerOffers() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.withStarttls(certificate, "LOGIN", "rampart", "s3cret")) {
            client(server, true).send("rampart@example.net", List.of("noc@example.net"), MESSAGE,
                    Optional.of(new Login("rampart", "s3cret")));

            assertThat(server.commands()).contains("tls AUTH LOGIN rampart s3cret");
            assertThat(server.mails()).hasSize(1);
        }
    }

    @Test
    void aServerWithoutStarttlsGetsNeitherThePasswordNorTheMail() throws Exception {
        try (TestSmtpServer server = new TestSmtpServer(null, "PLAIN LOGIN", "rampart", "s3cret")) {
            assertThatThrownBy(() -> client(server, true).send("rampart@example.net", List.of("noc@example.net"),
                    MESSAGE, Optional.of(new Login("rampart", "s3cret"))))
                    .isInstanceOf(SmtpException.class)
                    .hasMessage("127.0.0.1 does not offer STARTTLS, which this channel requires: nothing was sent");

            assertThat(server.commands()).containsExactly("EHLO rampart.example.net", "QUIT");
            assertThat(server.mails()).isEmpty();
        }
    }

    @Test
    void aCertificateNotTrustedEndsItBeforeAnyPasswordIsSent() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.withStarttls(certificate, "PLAIN", "rampart", "s3cret")) {
            SmtpClient jvmTrust = new SmtpClient("127.0.0.1", server.port(), true, SmtpClient.trust(Optional.empty()),
                    TIMEOUT, "rampart.example.net");
            assertThatThrownBy(() -> jvmTrust.send("rampart@example.net", List.of("noc@example.net"), MESSAGE,
                    Optional.of(new Login("rampart", "s3cret")))).isInstanceOf(SSLHandshakeException.class);

            assertThat(server.commands()).containsExactly("EHLO rampart.example.net", "STARTTLS");
            assertThat(server.mails()).isEmpty();
        }
    }

    @Test
    void withStarttlsNoneTheMailGoesInClearWithoutLogin() throws Exception {
        try (TestSmtpServer server = new TestSmtpServer(null, "", null, null)) {
            client(server, false).send("rampart@example.net", List.of("noc@example.net"), MESSAGE, Optional.empty());

            assertThat(server.commands()).containsExactly("EHLO rampart.example.net",
                    "MAIL FROM:<rampart@example.net>", "RCPT TO:<noc@example.net>", "DATA", "QUIT");
            assertThat(server.mails()).hasSize(1);
        }
    }

    @Test
    void aRefusedLoginOrRecipientIsAnErrorThatSaysWhatTheServerAnswered() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.withStarttls(certificate, "PLAIN", "rampart", "s3cret")) {
            assertThatThrownBy(() -> client(server, true).send("rampart@example.net", List.of("noc@example.net"),
                    MESSAGE, Optional.of(new Login("rampart", "wrong"))))
                    .isInstanceOf(SmtpException.class)
                    .hasMessage("127.0.0.1 answered AUTH PLAIN with 535 5.7.8 bad credentials")
                    .message().doesNotContain("wrong");
            assertThatThrownBy(() -> client(server, true).send("rampart@example.net", List.of("nobody@example.net"),
                    MESSAGE, Optional.of(new Login("rampart", "s3cret"))))
                    .isInstanceOf(SmtpException.class)
                    .hasMessage("127.0.0.1 answered RCPT TO:<nobody@example.net> with 550 5.1.1 no such mailbox");
            assertThat(server.mails()).isEmpty();
        }
    }

    @Test
    void aServerThatNeverGreetsIsGivenUpOnAfterTheTimeout() throws Exception {
        // Accepts (the backlog does) but never says a word.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SmtpClient client = new SmtpClient("127.0.0.1", silent.getLocalPort(), true,
                    SmtpClient.trust(Optional.empty()), Duration.ofMillis(200), "rampart.example.net");
            assertThatThrownBy(() -> client.send("rampart@example.net", List.of("noc@example.net"), MESSAGE,
                    Optional.empty())).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void dotStuffingDoublesALeadingDotAndEndsWithALoneOne() {
        assertThat(new String(SmtpClient.dotStuffed(".a\nb\r\n.\n"), StandardCharsets.UTF_8))
                .isEqualTo("..a\r\nb\r\n..\r\n.\r\n");
        assertThat(new String(SmtpClient.dotStuffed("no final break"), StandardCharsets.UTF_8))
                .isEqualTo("no final break\r\n.\r\n");
    }
}
