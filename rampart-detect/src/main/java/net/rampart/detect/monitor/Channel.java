package net.rampart.detect.monitor;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import net.rampart.detect.alert.AlertType;

/**
 * Where a group's alerts are sent: a named channel of one {@link Kind}, which hears of each
 * alert of its {@code types} that opens or resolves.
 *
 * @param types the alert types it hears of; empty means every type
 * @param kind  how, and to where, it sends
 */
public record Channel(String name, Set<AlertType> types, Kind kind) {

    public Channel {
        types = Set.copyOf(types);
    }

    public boolean hears(AlertType type) {
        return types.isEmpty() || types.contains(type);
    }

    /** The {@code type:} of a channel in the monitors file, with the settings only that type has. */
    public sealed interface Kind permits Webhook, Slack, Alertmanager, Syslog, Email {

        /** The name a monitors file gives the kind in {@code type:}. */
        String typeName();
    }

    /**
     * Rampart's own JSON, POSTed.
     *
     * @param headers sent with each POST, such as an {@code Authorization} the receiver expects
     */
    public record Webhook(URI url, Map<String, String> headers) implements Kind {

        public Webhook {
            headers = Map.copyOf(headers);
        }

        @Override
        public String typeName() {
            return "webhook";
        }
    }

    /** A Slack incoming webhook, whose URL is its secret. */
    public record Slack(URI url) implements Kind {

        @Override
        public String typeName() {
            return "slack";
        }
    }

    /**
     * A Prometheus Alertmanager, told through its API v2.
     *
     * @param url            the Alertmanager's base URL; alerts are POSTed to {@code api/v2/alerts} under it
     * @param headers        sent with each POST, such as the {@code Authorization} a proxy in front expects
     * @param resendInterval how often an open alert is sent again: Alertmanager resolves an alert
     *                       by itself when its {@code resolve_timeout} passes without one
     */
    public record Alertmanager(URI url, Map<String, String> headers, Duration resendInterval) implements Kind {

        /** As often as Prometheus re-sends a firing alert by default. */
        public static final Duration DEFAULT_RESEND_INTERVAL = Duration.ofMinutes(1);

        public Alertmanager {
            headers = Map.copyOf(headers);
            if (resendInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("resend_interval must be at least 1s");
            }
        }

        /** Where alerts are POSTed: {@code api/v2/alerts} under the base URL, whatever path it has. */
        public URI alertsUrl() {
            return URI.create(url.toString().replaceAll("/+$", "") + "/api/v2/alerts");
        }

        @Override
        public String typeName() {
            return "alertmanager";
        }
    }

    /**
     * A syslog receiver, sent RFC 5424 messages over UDP (RFC 5426) or TCP with octet-counting
     * framing (RFC 6587).
     *
     * @param facility the RFC 5424 facility code, 0 to 23 ({@link #FACILITIES} names them)
     */
    public record Syslog(String host, int port, Transport transport, int facility) implements Kind {

        /** The facility names, at their codes: what {@code facility:} takes. */
        public static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog",
                "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
                "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");
        /** local0: a facility for local use, which nothing of the system writes to unless told. */
        public static final int DEFAULT_FACILITY = 16;
        /** The port RFC 5426 gives syslog over UDP, which most receivers also listen to over TCP. */
        public static final int DEFAULT_PORT = 514;

        public enum Transport {
            UDP,
            TCP
        }

        public Syslog {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("a syslog channel needs a host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not 1 to 65535");
            }
            if (facility < 0 || facility >= FACILITIES.size()) {
                throw new IllegalArgumentException("facility " + facility + " is not 0 to 23");
            }
        }

        @Override
        public String typeName() {
            return "syslog";
        }
    }

    /**
     * Mail, sent over SMTP (RFC 5321) by Rampart's own client.
     *
     * @param starttlsRequired whether the mail and any password go only over TLS: the server
     *                         must offer STARTTLS, or nothing is sent
     * @param username         who to log in as, with the password in {@code passwordFile};
     *                         empty: no login
     * @param caFile           PEM certificates to trust instead of the JVM's trust store
     */
    public record Email(String host, int port, boolean starttlsRequired, String from, List<String> to,
                        Optional<String> username, Optional<Path> passwordFile, Optional<Path> caFile)
            implements Kind {

        /** The message submission port (RFC 6409), where STARTTLS is offered. */
        public static final int DEFAULT_PORT = 587;

        public Email {
            to = List.copyOf(to);
            if (to.isEmpty()) {
                throw new IllegalArgumentException("mail needs at least one recipient");
            }
            if (username.isPresent() != passwordFile.isPresent()) {
                throw new IllegalArgumentException("a username goes with a password file, and only with one");
            }
            if (username.isPresent() && !starttlsRequired) {
                throw new IllegalArgumentException("a password is never sent without STARTTLS");
            }
        }

        @Override
        public String typeName() {
            return "email";
        }
    }
}
