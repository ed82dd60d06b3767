package net.rampart.detect.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.rampart.config.YamlValidator;
import net.rampart.detect.alert.AlertType;
import net.rampart.wire.ip.IpPrefix;

/**
 * The monitors file: {@code prefixes}, {@code asns}, {@code groups}, {@code channels},
 * {@code visibility}, {@code flap_damping} and {@code rpki}. Checks what the file says across entries too: a prefix or an ASN listed
 * twice, a group named but not defined, and a channel a group names but nobody defined.
 */
final class MonitorsSchema {

    private static final Set<String> TOP = Set.of("prefixes", "asns", "groups", "channels", "visibility",
            "flap_damping", "rpki");
    private static final Set<String> FLAP_DAMPING_KEYS = Set.of("withdrawal_penalty", "readvertisement_penalty",
            "attribute_change_penalty", "suppress_threshold", "reuse_threshold", "half_life", "max_suppress_time");
    private static final Set<String> PREFIX_KEYS = Set.of("prefix", "description", "origins", "group",
            "ignore_more_specifics", "path", "exclude", "min_vantage_points");
    private static final Set<String> PATH_KEYS = Set.of("match", "not_match", "min_length", "max_length");
    private static final Set<String> ASN_KEYS = Set.of("asn", "upstreams", "downstreams", "peers", "group");
    /** What every channel may say; each kind adds its own keys in {@link #KIND_KEYS}. */
    private static final Set<String> CHANNEL_KEYS = Set.of("type", "types");
    /** The kind a channel without {@code type:} is: files from before there were other kinds name none. */
    private static final String DEFAULT_KIND = "webhook";
    /** Each channel kind, by its {@code type:} name, with the keys only it has. */
    private static final Map<String, Set<String>> KIND_KEYS = kindKeys();
    private static final String ALERT_TYPES = Arrays.stream(AlertType.values()).map(AlertType::wireName)
            .collect(Collectors.joining(", "));
    /** A DNS name, an IPv4 address or an IPv6 address: letters, digits and what separates them. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");
    /** A mail address SMTP and a mail header can carry as it is: printable, no spaces, brackets or quotes. */
    private static final Pattern MAILBOX = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}");
    /** RFC 9110's token: what an HTTP client accepts as a header name. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private MonitorsSchema() {
    }

    /** The monitors, or null when the file has problems ({@code yaml} holds them). */
    static Monitors read(YamlValidator yaml, String source) {
        JsonNode root = yaml.root(source);
        if (root == null || !yaml.mapping(root, "", TOP)) {
            return null;
        }
        Map<String, Channel> channels = channels(root, yaml);
        Map<String, Group> groups = groups(root, yaml, channelNames(root));
        List<GroupUse> uses = new ArrayList<>();
        List<MonitoredPrefix> prefixes = prefixes(root, yaml, uses);
        List<MonitoredAsn> asns = asns(root, yaml, uses);
        for (GroupUse use : uses) {
            if (!use.group.equals(Monitors.DEFAULT_GROUP) && !groups.containsKey(use.group)) {
                yaml.problem(use.at, "group '" + use.group + "' is not defined under groups");
            }
        }
        int minVantagePoints = visibility(root, yaml);
        FlapDamping flapDamping = flapDamping(root, yaml);
        Duration rpkiExpiryWarning = rpkiExpiryWarning(root, yaml);
        return yaml.hasProblems() ? null : new Monitors(prefixes, asns, groups, channels, minVantagePoints,
                flapDamping, rpkiExpiryWarning);
    }

    /** Where a group is named, to check once every group is known. */
    private record GroupUse(String group, String at) {
    }

    /**
     * The names under {@code channels}, those with problems too: a group naming one of them is
     * told of the channel's problems, not that it is missing.
     */
    private static Set<String> channelNames(JsonNode root) {
        Set<String> names = new HashSet<>();
        JsonNode node = root.get("channels");
        if (node != null && node.isObject()) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** @param defined the channel names defined, which a group's channels must be among */
    private static Map<String, Group> groups(JsonNode root, YamlValidator yaml, Set<String> defined) {
        Map<String, Group> groups = new TreeMap<>();
        JsonNode node = root.get("groups");
        if (node == null || node.isNull()) {
            return groups;
        }
        if (!node.isObject()) {
            yaml.problem("groups", "expected a mapping of group names to their channels");
            return groups;
        }
        node.fields().forEachRemaining(entry -> {
            String at = "groups." + entry.getKey();
            String name = yaml.name(entry.getKey(), at);
            if (!yaml.mapping(entry.getValue(), at, Set.of("channels"))) {
                return;
            }
            List<String> channels = new ArrayList<>();
            yaml.forEach(entry.getValue(), "channels", at, (item, itemAt) -> {
                String channel = item.isTextual() ? yaml.name(item.asText(), itemAt) : null;
                if (!item.isTextual()) {
                    yaml.problem(itemAt, "expected a channel name");
                } else if (channel != null && channels.contains(channel)) {
                    yaml.problem(itemAt, "channel '" + channel + "' is listed twice");
                } else if (channel != null) {
                    channels.add(channel);
                    if (!defined.contains(channel)) {
                        yaml.problem(itemAt, "channel '" + channel + "' is not defined under channels");
                    }
                }
            });
            if (name != null) {
                groups.put(name, new Group(name, channels));
            }
        });
        return groups;
    }

    private static Map<String, Set<String>> kindKeys() {
        Map<String, Set<String>> kinds = new TreeMap<>();
        kinds.put("webhook", Set.of("url", "headers"));
        kinds.put("slack", Set.of("url"));
        kinds.put("alertmanager", Set.of("url", "headers", "resend_interval"));
        kinds.put("syslog", Set.of("host", "port", "transport", "facility"));
        kinds.put("email", Set.of("host", "port", "starttls", "from", "to", "username", "password_file", "ca_file"));
        return kinds;
    }

    private static Map<String, Channel> channels(JsonNode root, YamlValidator yaml) {
        Map<String, Channel> channels = new TreeMap<>();
        JsonNode node = root.get("channels");
        if (node == null || node.isNull()) {
            return channels;
        }
        if (!node.isObject()) {
            yaml.problem("channels", "expected a mapping of channel names to their settings");
            return channels;
        }
        node.fields().forEachRemaining(entry -> {
            String at = "channels." + entry.getKey();
            String name = yaml.name(entry.getKey(), at);
            Channel.Kind kind = null;
            JsonNode channel = entry.getValue();
            String type = channel.isObject() ? yaml.text(channel, "type", at, DEFAULT_KIND) : DEFAULT_KIND;
            Set<String> kindKeys = type == null ? null : KIND_KEYS.get(type);
            if (kindKeys == null) {
                if (type != null) {
                    yaml.problem(at + ".type", "'" + type + "' is not a channel type (one of "
                            + String.join(", ", KIND_KEYS.keySet()) + ")");
                }
                // Only the kind knows its keys; with no kind, its other problems would be guesses.
                if (!yaml.mapping(channel, at, channel.isObject() ? allKeys(channel) : CHANNEL_KEYS)) {
                    return;
                }
            } else {
                Set<String> keys = new HashSet<>(CHANNEL_KEYS);
                keys.addAll(kindKeys);
                if (channel.has("password") && kindKeys.contains("password_file")) {
                    // Said plainly, rather than as an unknown key: the file is the only place for it.
                    yaml.problem(at + ".password", "not read from the monitors file: put the password in a file"
                            + " of its own and name it in password_file");
                    keys.add("password");
                }
                if (!yaml.mapping(channel, at, keys)) {
                    return;
                }
                kind = switch (type) {
                    case "webhook" -> webhook(channel, at, yaml);
                    case "slack" -> {
                        URI url = url(channel, at, yaml);
                        yield url == null ? null : new Channel.Slack(url);
                    }
                    case "alertmanager" -> alertmanager(channel, at, yaml);
                    case "syslog" -> syslog(channel, at, yaml);
                    case "email" -> email(channel, at, yaml);
                    default -> throw new IllegalStateException("a kind without a reader: " + type);
                };
            }
            Set<AlertType> types = EnumSet.noneOf(AlertType.class);
            yaml.forEach(channel, "types", at, (item, itemAt) -> {
                Optional<AlertType> alertType = item.isTextual() ? AlertType.fromWireName(item.asText())
                        : Optional.empty();
                if (alertType.isEmpty()) {
                    yaml.problem(itemAt, "'" + item.asText() + "' is not an alert type (one of "
                            + ALERT_TYPES + ")");
                } else {
                    types.add(alertType.get());
                }
            });
            if (name != null && kind != null) {
                channels.put(name, new Channel(name, types, kind));
            }
        });
        return channels;
    }

    private static Set<String> allKeys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Null when it has problems, which {@code yaml} holds. */
    private static Channel.Webhook webhook(JsonNode channel, String at, YamlValidator yaml) {
        URI url = url(channel, at, yaml);
        Map<String, String> headers = headers(channel, at, yaml);
        return url == null ? null : new Channel.Webhook(url, headers);
    }

    /** Null when it has problems, which {@code yaml} holds. */
    private static Channel.Alertmanager alertmanager(JsonNode channel, String at, YamlValidator yaml) {
        URI url = url(channel, at, yaml);
        Map<String, String> headers = headers(channel, at, yaml);
        Duration resend = Channel.Alertmanager.DEFAULT_RESEND_INTERVAL;
        String text = yaml.text(channel, "resend_interval", at, null);
        if (text != null) {
            String resendAt = at + ".resend_interval";
            resend = yaml.duration(text, resendAt);
            if (resend != null && resend.compareTo(Duration.ofSeconds(1)) < 0) {
                yaml.problem(resendAt, "'" + text + "' is below 1s");
                resend = null;
            }
        }
        return url == null || resend == null ? null : new Channel.Alertmanager(url, headers, resend);
    }

    /** Null when it has problems, which {@code yaml} holds. */
    private static Channel.Syslog syslog(JsonNode channel, String at, YamlValidator yaml) {
        String host = host(channel, at, yaml);
        int port = port(channel, at, yaml, Channel.Syslog.DEFAULT_PORT);
        Channel.Syslog.Transport transport = Channel.Syslog.Transport.UDP;
        String transportText = yaml.text(channel, "transport", at, null);
        if ("tcp".equals(transportText)) {
            transport = Channel.Syslog.Transport.TCP;
        } else if (transportText != null && !"udp".equals(transportText)) {
            yaml.problem(at + ".transport", "'" + transportText + "' is not udp or tcp");
            transport = null;
        }
        int facility = Channel.Syslog.DEFAULT_FACILITY;
        String facilityText = yaml.text(channel, "facility", at, null);
        if (facilityText != null) {
            facility = Channel.Syslog.FACILITIES.indexOf(facilityText);
            if (facility < 0) {
                yaml.problem(at + ".facility", "'" + facilityText + "' is not a syslog facility (one of "
                        + String.join(", ", Channel.Syslog.FACILITIES) + ")");
            }
        }
        return host == null || port < 0 || transport == null || facility < 0 ? null
                : new Channel.Syslog(host, port, transport, facility);
    }

    /** Null when it has problems, which {@code yaml} holds. */
    private static Channel.Email email(JsonNode channel, String at, YamlValidator yaml) {
        int problemsBefore = yaml.problemCount();
        String host = host(channel, at, yaml);
        int port = port(channel, at, yaml, Channel.Email.DEFAULT_PORT);
        String starttls = yaml.text(channel, "starttls", at, "required");
        if (!"required".equals(starttls) && !"none".equals(starttls)) {
            yaml.problem(at + ".starttls", "'" + starttls + "' is not required or none");
            starttls = null;
        }
        String from = mailbox(channel.get("from"), at + ".from", yaml);
        List<String> to = new ArrayList<>();
        if (!channel.hasNonNull("to")) {
            yaml.problem(at + ".to", "required: the addresses to send to");
        }
        yaml.forEach(channel, "to", at, (item, itemAt) -> {
            String address = mailbox(item, itemAt, yaml);
            if (address != null) {
                to.add(address);
            }
        });
        if (channel.hasNonNull("to") && channel.get("to").isArray() && channel.get("to").isEmpty()) {
            yaml.problem(at + ".to", "at least one address");
        }
        String username = yaml.text(channel, "username", at, null);
        Path passwordFile = readableFile(channel, "password_file", at, yaml);
        if (username != null && !channel.hasNonNull("password_file")) {
            yaml.problem(at + ".password_file", "required with a username: the file holding its password");
        } else if (username == null && channel.hasNonNull("password_file")) {
            yaml.problem(at + ".username", "required with a password_file: who to log in as");
        }
        if (username != null && "none".equals(starttls)) {
            yaml.problem(at + ".starttls", "none with a username would send the password in clear: use required");
        }
        Path caFile = readableFile(channel, "ca_file", at, yaml);
        if (caFile != null && !holdsCertificates(caFile)) {
            yaml.problem(at + ".ca_file", caFile + " holds no PEM certificate");
            caFile = null;
        }
        if (yaml.problemCount() > problemsBefore) {
            return null;
        }
        try {
            return new Channel.Email(host, port, "required".equals(starttls), from, to, Optional.ofNullable(username),
                    Optional.ofNullable(passwordFile), Optional.ofNullable(caFile));
        } catch (IllegalArgumentException e) {
            yaml.problem(at, e.getMessage());
            return null;
        }
    }

    /**
     * A mail address as SMTP takes it in {@code MAIL FROM} and {@code RCPT TO}: {@code local@domain},
     * without spaces, angle brackets or line breaks, which would let it write SMTP commands or
     * mail headers of its own; or null (with a problem).
     */
    private static String mailbox(JsonNode node, String at, YamlValidator yaml) {
        if (node == null || node.isNull()) {
            yaml.problem(at, "required: a mail address");
            return null;
        }
        String text = node.isTextual() ? node.asText() : "";
        if (!MAILBOX.matcher(text).matches()) {
            yaml.problem(at, "'" + node.asText() + "' is not a mail address such as noc@example.net");
            return null;
        }
        return text;
    }

    /** An optional file that must be readable now, or null (with a problem when it is not). */
    private static Path readableFile(JsonNode channel, String key, String at, YamlValidator yaml) {
        String text = yaml.text(channel, key, at, null);
        if (text == null) {
            return null;
        }
        Path file = Path.of(text);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            yaml.problem(at + "." + key, "cannot read " + text);
            return null;
        }
        return file;
    }

    private static boolean holdsCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return !CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty();
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    /** A required host name or address, or null (with a problem). */
    private static String host(JsonNode channel, String at, YamlValidator yaml) {
        String host = yaml.text(channel, "host", at, null);
        if (!channel.hasNonNull("host")) {
            yaml.problem(at + ".host", "required: the host name or address to send to");
            return null;
        }
        if (host == null) {
            return null;
        }
        if (!HOST.matcher(host).matches()) {
            yaml.problem(at + ".host", "'" + host + "' is not a host name or address");
            return null;
        }
        return host;
    }

    /** An optional port, {@code absent} when not set, or -1 (with a problem). */
    private static int port(JsonNode channel, String at, YamlValidator yaml, int absent) {
        JsonNode node = channel.get("port");
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > 65535) {
            yaml.problem(at + ".port", "expected a port, 1 to 65535");
            return -1;
        }
        return node.asInt();
    }

    private static URI url(JsonNode channel, String at, YamlValidator yaml) {
        String urlAt = at + ".url";
        if (!channel.hasNonNull("url")) {
            yaml.problem(urlAt, "required: the http(s) URL to POST to");
            return null;
        }
        String text = yaml.text(channel, "url", at, null);
        if (text == null) {
            return null;
        }
        try {
            URI url = new URI(text);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // Reported below, in the same words as a URL of another scheme.
        }
        yaml.problem(urlAt, "'" + text + "' is not an http(s)://host/path URL");
        return null;
    }

    private static Map<String, String> headers(JsonNode channel, String at, YamlValidator yaml) {
        Map<String, String> headers = new TreeMap<>();
        JsonNode node = channel.get("headers");
        String headersAt = at + ".headers";
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            yaml.problem(headersAt, "expected a mapping of header names to values");
            return headers;
        }
        node.fields().forEachRemaining(entry -> {
            if (!HEADER_NAME.matcher(entry.getKey()).matches()) {
                yaml.problem(headersAt, "'" + entry.getKey() + "' is not an HTTP header name");
            } else if (!entry.getValue().isTextual()) {
                yaml.problem(headersAt + "." + entry.getKey(), "expected text");
            } else {
                headers.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return headers;
    }

    private static List<MonitoredPrefix> prefixes(JsonNode root, YamlValidator yaml, List<GroupUse> uses) {
        List<MonitoredPrefix> prefixes = new ArrayList<>();
        Map<IpPrefix, String> seen = new HashMap<>();
        yaml.forEach(root, "prefixes", "", (node, at) -> {
            if (!yaml.mapping(node, at, PREFIX_KEYS)) {
                return;
            }
            IpPrefix prefix = prefix(node, at, yaml);
            if (prefix != null) {
                String first = seen.putIfAbsent(prefix, at);
                if (first != null) {
                    yaml.problem(at + ".prefix", prefix + " is already monitored at " + first);
                }
            }
            if (!node.hasNonNull("origins")) {
                yaml.problem(at + ".origins", "required: the ASNs that may originate it, or [] for nobody");
            }
            AsnSet origins = AsnSet.of(yaml.asns(node, "origins", at));
            String group = group(node, at, yaml, uses);
            boolean ignoreMoreSpecifics = yaml.bool(node, "ignore_more_specifics", at, false);
            List<PathRule> rules = new ArrayList<>();
            yaml.forEach(node, "path", at, (rule, ruleAt) -> pathRule(rule, ruleAt, yaml).ifPresent(rules::add));
            Set<AlertType> exclude = EnumSet.noneOf(AlertType.class);
            yaml.forEach(node, "exclude", at, (item, itemAt) -> {
                Optional<AlertType> type = item.isTextual() ? AlertType.fromWireName(item.asText()) : Optional.empty();
                if (type.isEmpty() || !type.get().perPrefix()) {
                    yaml.problem(itemAt, "'" + item.asText() + "' is not a check of a prefix (one of "
                            + AlertType.perPrefixNames() + ")");
                } else {
                    exclude.add(type.get());
                }
            });
            OptionalInt minVantagePoints = yaml.intAtLeast(node, "min_vantage_points", at, 1);
            if (prefix != null) {
                prefixes.add(new MonitoredPrefix(prefix, yaml.text(node, "description", at, ""), origins, group,
                        ignoreMoreSpecifics, rules, exclude, minVantagePoints));
            }
        });
        return prefixes;
    }

    private static IpPrefix prefix(JsonNode node, String at, YamlValidator yaml) {
        JsonNode value = node.get("prefix");
        String prefixAt = at + ".prefix";
        if (value == null || value.isNull()) {
            yaml.problem(prefixAt, "required");
            return null;
        }
        if (!value.isTextual()) {
            yaml.problem(prefixAt, "expected a prefix such as 192.0.2.0/24");
            return null;
        }
        try {
            // Refuses host bits too: a file is never silently read as something else.
            return IpPrefix.parse(value.asText());
        } catch (IllegalArgumentException e) {
            yaml.problem(prefixAt, e.getMessage());
            return null;
        }
    }

    private static Optional<PathRule> pathRule(JsonNode node, String at, YamlValidator yaml) {
        if (!yaml.mapping(node, at, PATH_KEYS)) {
            return Optional.empty();
        }
        if (PATH_KEYS.stream().noneMatch(node::hasNonNull)) {
            yaml.problem(at, "a path rule needs at least one of match, not_match, min_length, max_length");
            return Optional.empty();
        }
        Pattern match = yaml.regex(node, "match", at);
        Pattern notMatch = yaml.regex(node, "not_match", at);
        OptionalInt min = yaml.intAtLeast(node, "min_length", at, 1);
        OptionalInt max = yaml.intAtLeast(node, "max_length", at, 1);
        if (min.isPresent() && max.isPresent() && min.getAsInt() > max.getAsInt()) {
            yaml.problem(at + ".min_length", min.getAsInt() + " is above max_length " + max.getAsInt());
        }
        return Optional.of(new PathRule(Optional.ofNullable(match), Optional.ofNullable(notMatch), min, max));
    }

    private static List<MonitoredAsn> asns(JsonNode root, YamlValidator yaml, List<GroupUse> uses) {
        List<MonitoredAsn> asns = new ArrayList<>();
        Map<Long, String> seen = new HashMap<>();
        yaml.forEach(root, "asns", "", (node, at) -> {
            if (!yaml.mapping(node, at, ASN_KEYS)) {
                return;
            }
            long asn = yaml.asn(node.get("asn"), at + ".asn");
            if (asn >= 0) {
                String first = seen.putIfAbsent(asn, at);
                if (first != null) {
                    yaml.problem(at + ".asn", "AS" + asn + " is already monitored at " + first);
                }
            }
            AsnSet upstreams = AsnSet.of(yaml.asns(node, "upstreams", at));
            AsnSet downstreams = AsnSet.of(yaml.asns(node, "downstreams", at));
            AsnSet peers = AsnSet.of(yaml.asns(node, "peers", at));
            related(upstreams, "upstreams", downstreams, "downstreams", at, yaml);
            related(upstreams, "upstreams", peers, "peers", at, yaml);
            related(downstreams, "downstreams", peers, "peers", at, yaml);
            notItsOwn(asn, upstreams, "upstreams", at, yaml);
            notItsOwn(asn, downstreams, "downstreams", at, yaml);
            notItsOwn(asn, peers, "peers", at, yaml);
            String group = group(node, at, yaml, uses);
            if (asn >= 0) {
                asns.add(new MonitoredAsn(asn, upstreams, downstreams, group, peers));
            }
        });
        return asns;
    }

    /**
     * One neighbour has one relationship: an AS in two of the lists would make the leak check read
     * the same path both ways.
     */
    private static void related(AsnSet first, String firstName, AsnSet second, String secondName, String at,
                                YamlValidator yaml) {
        for (long neighbour : second.toArray()) {
            if (first.contains(neighbour)) {
                yaml.problem(at + "." + secondName, "AS" + neighbour + " is in " + firstName + " too: one"
                        + " relationship per neighbour");
            }
        }
    }

    /** The monitored AS among its own neighbours: prepends are not neighbours, so this is a slip. */
    private static void notItsOwn(long asn, AsnSet neighbours, String name, String at, YamlValidator yaml) {
        if (asn >= 0 && neighbours.contains(asn)) {
            yaml.problem(at + "." + name, "AS" + asn + " cannot be its own neighbour");
        }
    }

    private static String group(JsonNode node, String at, YamlValidator yaml, List<GroupUse> uses) {
        String group = yaml.text(node, "group", at, Monitors.DEFAULT_GROUP);
        String groupAt = at + ".group";
        if (yaml.name(group, groupAt) != null) {
            uses.add(new GroupUse(group, groupAt));
        }
        return group;
    }

    private static int visibility(JsonNode root, YamlValidator yaml) {
        JsonNode node = root.get("visibility");
        if (node == null || node.isNull() || !yaml.mapping(node, "visibility", Set.of("min_vantage_points"))) {
            return 1;
        }
        return yaml.intAtLeast(node, "min_vantage_points", "visibility", 1).orElse(1);
    }

    /** The flap detector's parameters: RFC 7196's, each of which the file may change. */
    private static FlapDamping flapDamping(JsonNode root, YamlValidator yaml) {
        JsonNode node = root.get("flap_damping");
        FlapDamping d = FlapDamping.RFC_7196;
        String at = "flap_damping";
        if (node == null || node.isNull() || !yaml.mapping(node, at, FLAP_DAMPING_KEYS)) {
            return d;
        }
        int problems = yaml.problemCount();
        int withdrawal = yaml.intAtLeast(node, "withdrawal_penalty", at, 0).orElse(d.withdrawalPenalty());
        int readvertisement = yaml.intAtLeast(node, "readvertisement_penalty", at, 0)
                .orElse(d.readvertisementPenalty());
        int attributeChange = yaml.intAtLeast(node, "attribute_change_penalty", at, 0)
                .orElse(d.attributeChangePenalty());
        int suppress = yaml.intAtLeast(node, "suppress_threshold", at, 1).orElse(d.suppressThreshold());
        int reuse = yaml.intAtLeast(node, "reuse_threshold", at, 1).orElse(d.reuseThreshold());
        Duration halfLife = duration(node, "half_life", at, yaml, d.halfLife());
        Duration maxSuppress = duration(node, "max_suppress_time", at, yaml, d.maxSuppressTime());
        if (yaml.problemCount() > problems) {
            return d;
        }
        try {
            return new FlapDamping(withdrawal, readvertisement, attributeChange, suppress, reuse, halfLife,
                    maxSuppress);
        } catch (IllegalArgumentException e) {
            yaml.problem(at, e.getMessage());
            return d;
        }
    }

    /** {@code rpki.expiry_warning}: how long before VRP coverage ends {@code rpki_expiring} is raised. */
    private static Duration rpkiExpiryWarning(JsonNode root, YamlValidator yaml) {
        JsonNode node = root.get("rpki");
        Duration absent = Monitors.DEFAULT_RPKI_EXPIRY_WARNING;
        if (node == null || node.isNull() || !yaml.mapping(node, "rpki", Set.of("expiry_warning"))) {
            return absent;
        }
        Duration d = duration(node, "expiry_warning", "rpki", yaml, absent);
        if (d.isZero() || d.isNegative()) {
            yaml.problem(YamlValidator.path("rpki", "expiry_warning"), "must be a positive duration such as 24h, not " + d);
            return absent;
        }
        return d;
    }

    private static Duration duration(JsonNode node, String key, String at, YamlValidator yaml, Duration absent) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return absent;
        }
        String keyAt = YamlValidator.path(at, key);
        if (!value.isTextual() && !value.isIntegralNumber()) {
            yaml.problem(keyAt, "expected a duration such as 15m");
            return absent;
        }
        Duration d = yaml.duration(value.asText(), keyAt);
        return d == null ? absent : d;
    }
}
