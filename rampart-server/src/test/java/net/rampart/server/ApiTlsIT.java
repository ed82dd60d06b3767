package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with client certificates on the real service, with a CA and certificates made by
 * {@code openssl} as an operator would: a client with a certificate from that CA gets in (and
 * still needs its bearer token), a client without one is refused during the handshake.
 */
class ApiTlsIT {

    private static final String PASSWORD = "test-only";

    @TempDir
    Path dir;

    @Test
    void clientCertificatesAreRequiredAndVerified() throws Exception {
        assumeTrue(Daemon.onPath("openssl"), "openssl not installed: skipped");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-subj", "/CN=Rampart test CA", "-days", "1");
        issue("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        issue("client", "/CN=noc-automation", "extendedKeyUsage=clientAuth");
        openssl("pkcs12", "-export", "-inkey", "client.key", "-in", "client.pem", "-out", "client.p12",
                "-passout", "pass:" + PASSWORD);

        int httpPort = ServiceProcess.freePort();
        var environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort), "RAMPART_BMP_PORT", "0",
                "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                "RAMPART_DATA_DIR", dir.resolve("data").toString(),
                "RAMPART_TLS_CERT", dir.resolve("server.pem").toString(),
                "RAMPART_TLS_KEY", dir.resolve("server.key").toString(),
                "RAMPART_TLS_CLIENT_CA", dir.resolve("ca.pem").toString());
        URI base = URI.create("https://127.0.0.1:" + httpPort);
        try (var service = ServiceProcess.start(environment);
             HttpClient withCertificate = HttpClient.newBuilder().sslContext(tls(true)).build();
             HttpClient without = HttpClient.newBuilder().sslContext(tls(false)).build()) {
            HttpRequest health = HttpRequest.newBuilder(base.resolve("/health/ready")).timeout(Duration.ofSeconds(5)).build();
            assertThat(Daemon.await(Duration.ofMinutes(2), () -> answers(withCertificate, health)))
                    .as(service.output()).isTrue();

            HttpResponse<String> ready = withCertificate.send(health, HttpResponse.BodyHandlers.ofString());
            assertThat(ready.headers().firstValue("Strict-Transport-Security")).isPresent();
            HttpRequest routers = HttpRequest.newBuilder(base.resolve("/api/v1/routers")).build();
            assertThat(withCertificate.send(routers, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpRequest authorised = HttpRequest.newBuilder(base.resolve("/api/v1/routers"))
                    .header("Authorization", "Bearer " + service.adminToken()).build();
            assertThat(withCertificate.send(authorised, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            // Under HTTPS the dashboard's session cookie is sent over HTTPS only.
            HttpRequest signIn = HttpRequest.newBuilder(base.resolve("/api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + service.adminToken() + "\"}")).build();
            HttpResponse<String> signedIn = withCertificate.send(signIn, HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(201);
            assertThat(signedIn.headers().firstValue("Set-Cookie"))
                    .hasValueSatisfying(cookie -> assertThat(cookie).contains("Secure", "HttpOnly", "SameSite=Strict"));

            assertThatThrownBy(() -> without.send(health, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private static boolean answers(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A key and a certificate for {@code name}, signed by the test CA, with one extension. */
    private void issue(String name, String subject, String extension) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", subject);
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "1", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
    }

    /** Trusts the test CA; presents the client certificate when {@code withCertificate}. */
    private SSLContext tls(boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        if (withCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("client.p12"))) {
                keys.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        } else {
            context.init(null, trustManagers.getTrustManagers(), null);
        }
        return context;
    }
}
