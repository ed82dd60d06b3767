package net.rampart.server.notify;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends one mail over SMTP (RFC 5321) to a submission server: EHLO, STARTTLS (RFC 3207) and
 * EHLO again, AUTH PLAIN or LOGIN when there is a login (RFC 4954), MAIL FROM, RCPT TO, DATA
 * with dot-stuffing, QUIT. With TLS required, a server that does not offer STARTTLS gets
 * nothing: no password, no mail. The server's certificate must name the host connected to.
 * Every read and the connect are bounded by the timeout.
 */
public final class SmtpClient {

    /** A reply line is a code and text; RFC 5321 bounds it to 512 octets, this a little more generously. */
    private static final int MAX_LINE = 4096;

    /** A login; the password is read from its file for each mail, so that a rotated one is picked up. */
    public record Login(String username, String password) {

        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    /** The server said no, or said something this client cannot go on from. */
    public static final class SmtpException extends IOException {

        public SmtpException(String message) {
            super(message);
        }
    }

    private final String host;
    private final int port;
    private final boolean starttlsRequired;
    private final SSLSocketFactory tls;
    private final Duration timeout;
    private final String clientName;

    /**
     * @param tls        the trust to check the server's certificate with
     * @param clientName this host's name, for EHLO
     */
    public SmtpClient(String host, int port, boolean starttlsRequired, SSLSocketFactory tls, Duration timeout,
                      String clientName) {
        this.host = host;
        this.port = port;
        this.starttlsRequired = starttlsRequired;
        this.tls = tls;
        this.timeout = timeout;
        this.clientName = clientName.isEmpty() || "-".equals(clientName) ? "localhost" : clientName;
    }

    /**
     * Sends {@code message} (headers, a blank line, the body; lines ending in CRLF or LF) from
     * {@code from} to each of {@code to}.
     */
    public void send(String from, List<String> to, String message, Optional<Login> login) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            Session session = new Session(plain);
            session.expect(null, 220);
            List<String> extensions = session.ehlo();
            Socket socket = plain;
            if (starttlsRequired) {
                if (!has(extensions, "STARTTLS")) {
                    session.quit();
                    throw new SmtpException(host + " does not offer STARTTLS, which this channel requires:"
                            + " nothing was sent");
                }
                session.expect("STARTTLS", 220);
                SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                // The certificate must be the server's, not merely one the trust store signed.
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.setSoTimeout((int) timeout.toMillis());
                secure.startHandshake();
                socket = secure;
                session = new Session(secure);
                // What the server offered in clear may have been changed on the way: ask again (RFC 3207).
                extensions = session.ehlo();
            }
            if (login.isPresent()) {
                session.authenticate(extensions, login.get());
            }
            session.expect("MAIL FROM:<" + from + ">", 250);
            for (String recipient : to) {
                session.expect("RCPT TO:<" + recipient + ">", 250, 251);
            }
            session.expect("DATA", 354);
            session.data(message);
            session.quit();
            socket.close();
        }
    }

    /**
     * The trust to check a server's certificate with: the JVM's trust store, or only the PEM
     * certificates in {@code caFile}, read now so that a replaced file is picked up.
     */
    public static SSLSocketFactory trust(Optional<Path> caFile) throws IOException {
        try {
            if (caFile.isEmpty()) {
                return SSLContext.getDefault().getSocketFactory();
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            try (InputStream in = Files.newInputStream(caFile.get())) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
                if (i == 0) {
                    throw new IOException(caFile.get() + " holds no PEM certificate");
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + caFile.map(Path::toString).orElse("the JVM's trust store")
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean has(List<String> extensions, String keyword) {
        return extensions.stream().anyMatch(e -> e.toUpperCase(Locale.ROOT).equals(keyword)
                || e.toUpperCase(Locale.ROOT).startsWith(keyword + " "));
    }

    /**
     * Writes {@code message} as DATA: every line ending in CRLF, a line that starts with a dot
     * given one more (RFC 5321 section 4.5.2, so that no line of the mail ends it early), then
     * the lone dot that does.
     */
    static byte[] dotStuffed(String message) {
        StringBuilder out = new StringBuilder(message.length() + 64);
        String[] lines = message.split("\\r?\\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--; // the message's own last line break, not an empty line after it
        }
        for (int i = 0; i < count; i++) {
            if (lines[i].startsWith(".")) {
                out.append('.');
            }
            out.append(lines[i]).append("\r\n");
        }
        out.append(".\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One conversation over one socket, plain or TLS. */
    private final class Session {

        private final InputStream in;
        private final OutputStream out;

        Session(Socket socket) throws IOException {
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** EHLO, and the extensions the reply lists (its lines after the first). */
        List<String> ehlo() throws IOException {
            List<String> reply = expect("EHLO " + clientName, 250);
            return reply.subList(1, reply.size());
        }

        void authenticate(List<String> extensions, Login login) throws IOException {
            List<String> mechanisms = extensions.stream().filter(e -> e.toUpperCase(Locale.ROOT).startsWith("AUTH "))
                    .flatMap(e -> List.of(e.substring(5).toUpperCase(Locale.ROOT).split(" +")).stream()).toList();
            Base64.Encoder base64 = Base64.getEncoder();
            if (mechanisms.contains("PLAIN")) {
                String credentials = "\0" + login.username() + "\0" + login.password();
                expectSecret("AUTH PLAIN " + base64.encodeToString(credentials.getBytes(StandardCharsets.UTF_8)),
                        "AUTH PLAIN", 235);
            } else if (mechanisms.contains("LOGIN")) {
                expect("AUTH LOGIN", 334);
                expectSecret(base64.encodeToString(login.username().getBytes(StandardCharsets.UTF_8)),
                        "AUTH LOGIN username", 334);
                expectSecret(base64.encodeToString(login.password().getBytes(StandardCharsets.UTF_8)),
                        "AUTH LOGIN password", 235);
            } else {
                quit();
                throw new SmtpException(host + " offers no login this client knows (PLAIN, LOGIN): "
                        + (mechanisms.isEmpty() ? "none" : String.join(" ", mechanisms)));
            }
        }

        void data(String message) throws IOException {
            out.write(dotStuffed(message));
            out.flush();
            check("end of DATA", read(), 250);
        }

        /** QUIT, whose answer does not matter: the mail is sent or refused by then. */
        void quit() {
            try {
                write("QUIT");
                read();
            } catch (IOException e) {
                // The server may close at once; nothing is lost.
            }
        }

        /**
         * Sends {@code command} (nothing when null, to read the greeting) and reads the reply,
         * which must have one of {@code codes}; returns its lines' texts.
         */
        List<String> expect(String command, int... codes) throws IOException {
            if (command != null) {
                write(command);
            }
            return check(command == null ? "greeting" : command, read(), codes);
        }

        /** As {@link #expect}, for a command whose text must not appear in an error: a credential. */
        private void expectSecret(String command, String shownAs, int code) throws IOException {
            write(command);
            check(shownAs, read(), code);
        }

        private List<String> check(String what, Reply reply, int... codes) throws SmtpException {
            for (int code : codes) {
                if (reply.code() == code) {
                    return reply.lines();
                }
            }
            throw new SmtpException(host + " answered " + what + " with " + reply.code() + " "
                    + String.join(" / ", reply.lines()));
        }

        private void write(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** A reply: lines {@code NNN-text} until one {@code NNN text}. */
        private Reply read() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = line();
                if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                        || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' '
                        && line.charAt(3) != '-')) {
                    throw new SmtpException(host + " sent a line that is not an SMTP reply: " + line);
                }
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
                }
                if (lines.size() > 100) {
                    throw new SmtpException(host + " sent a reply of more than 100 lines");
                }
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new SmtpException(host + " closed the connection");
                }
                if (line.size() >= MAX_LINE) {
                    throw new SmtpException(host + " sent a line longer than " + MAX_LINE + " octets");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.UTF_8);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }

    private record Reply(int code, List<String> lines) {
    }
}
