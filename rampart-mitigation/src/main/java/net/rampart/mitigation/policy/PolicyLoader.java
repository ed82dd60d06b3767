package net.rampart.mitigation.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.rampart.mitigation.IpPrefix;
import net.rampart.mitigation.bgp.BgpPeer;
import net.rampart.mitigation.bgp.SpeakerSettings;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.IpProtocols;
import net.rampart.wire.DurationText;

/**
 * Reads the inventory and playbooks YAML files and validates them completely: every problem is
 * reported, each with its place in the file ({@code playbooks[0].steps[1].rate_bps}), so an
 * operator fixes a file in one go.
 */
public final class PolicyLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]?)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final TtlBounds ttlBounds;

    public PolicyLoader(TtlBounds ttlBounds) {
        this.ttlBounds = ttlBounds;
    }

    /** Loads both files; a missing path (null) stands for an empty inventory or no playbooks. */
    public Policy load(Path inventoryFile, Path playbooksFile) throws PolicyException {
        List<String> problems = new ArrayList<>();
        Inventory inventory = inventoryFile == null ? Inventory.empty()
                : parseInventory(read(inventoryFile, problems), inventoryFile.getFileName().toString(), problems);
        List<Playbook> playbooks = playbooksFile == null ? List.of()
                : parsePlaybooks(read(playbooksFile, problems), playbooksFile.getFileName().toString(), problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new Policy(inventory, playbooks);
    }

    public Inventory parseInventory(String yaml, String fileName) throws PolicyException {
        List<String> problems = new ArrayList<>();
        Inventory inventory = parseInventory(yaml, fileName, problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return inventory;
    }

    public List<Playbook> parsePlaybooks(String yaml, String fileName) throws PolicyException {
        List<String> problems = new ArrayList<>();
        List<Playbook> playbooks = parsePlaybooks(yaml, fileName, problems);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return playbooks;
    }

    private static String read(Path file, List<String> problems) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            problems.add(file.getFileName() + ": cannot read: " + e.getMessage());
            return null;
        }
    }

    private static JsonNode tree(String yaml, String fileName, List<String> problems) {
        if (yaml == null) {
            return null;
        }
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || root.isMissingNode() || root.isNull()) {
                // A configured file with nothing in it is far more likely caught half-written
                // than meant to remove every customer or playbook.
                problems.add(fileName + ": the file is empty");
                return null;
            }
            if (!root.isObject()) {
                problems.add(fileName + ": expected a mapping at the top level");
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            problems.add(fileName + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
            return null;
        }
    }

    private Inventory parseInventory(String yaml, String file, List<String> allProblems) {
        List<String> problems = new ProblemList(file, allProblems);
        JsonNode root = tree(yaml, file, allProblems);
        if (root == null) {
            return Inventory.empty();
        }
        checkKeys(root, "", Set.of("customers", "pops", "safelist", "bgp"), problems);
        List<Pop> pops = new ArrayList<>();
        Set<String> popNames = new HashSet<>();
        forEach(root, "pops", "", problems, (node, at) -> {
            checkKeys(node, at, Set.of("name", "description", "max_mitigations"), problems);
            String name = name(node, "name", at, problems);
            if (name != null && !popNames.add(name)) {
                problems.add(at + ".name: POP '" + name + "' is listed twice");
            }
            pops.add(new Pop(name, node.path("description").asText(""),
                    optionalPositiveInt(node, "max_mitigations", at, problems)));
        });
        List<Customer> customers = new ArrayList<>();
        Set<String> customerIds = new HashSet<>();
        Map<IpPrefix, String> prefixOwners = new HashMap<>();
        forEach(root, "customers", "", problems, (node, at) -> {
            checkKeys(node, at, Set.of("id", "name", "policy_profile", "prefixes", "max_mitigations"), problems);
            String id = name(node, "id", at, problems);
            if (id != null && !customerIds.add(id)) {
                problems.add(at + ".id: customer '" + id + "' is listed twice");
            }
            PolicyProfile profile = PolicyProfile.NORMAL;
            if (node.hasNonNull("policy_profile")) {
                String p = node.get("policy_profile").asText();
                Optional<PolicyProfile> parsed = PolicyProfile.fromWireName(p);
                if (parsed.isEmpty()) {
                    problems.add(at + ".policy_profile: '" + p + "' is not strict, normal or relaxed");
                } else {
                    profile = parsed.get();
                }
            }
            List<IpPrefix> prefixes = new ArrayList<>();
            JsonNode list = node.get("prefixes");
            if (list == null || !list.isArray() || list.isEmpty()) {
                problems.add(at + ".prefixes: at least one prefix is required");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    IpPrefix prefix = prefix(list.get(i), at + ".prefixes[" + i + "]", problems);
                    if (prefix == null) {
                        continue;
                    }
                    String previous = prefixOwners.putIfAbsent(prefix, id);
                    if (previous != null) {
                        problems.add(at + ".prefixes[" + i + "]: " + prefix + " already belongs to customer '"
                                + previous + "'");
                    }
                    prefixes.add(prefix);
                }
            }
            customers.add(new Customer(id, node.path("name").asText(id == null ? "" : id), profile, prefixes,
                    optionalPositiveInt(node, "max_mitigations", at, problems)));
        });
        List<SafelistEntry> safelist = new ArrayList<>();
        forEach(root, "safelist", "", problems, (node, at) -> {
            // A bare prefix is allowed as a list item, for short safelists.
            if (node.isTextual()) {
                IpPrefix prefix = safelistPrefix(node, at, problems);
                if (prefix != null) {
                    safelist.add(new SafelistEntry(prefix, "", "file"));
                }
                return;
            }
            checkKeys(node, at, Set.of("prefix", "reason"), problems);
            IpPrefix prefix = safelistPrefix(node.get("prefix"), at + ".prefix", problems);
            if (prefix != null) {
                safelist.add(new SafelistEntry(prefix, node.path("reason").asText(""), "file"));
            }
        });
        Optional<SpeakerSettings> bgp = root.has("bgp") ? bgp(root.get("bgp"), problems) : Optional.empty();
        return new Inventory(customers, pops, safelist, bgp);
    }

    /** The {@code bgp} section: the same settings as the RAMPART_BGP_* variables. */
    private static Optional<SpeakerSettings> bgp(JsonNode node, List<String> problems) {
        if (!node.isObject()) {
            problems.add("bgp: expected a mapping");
            return Optional.empty();
        }
        checkKeys(node, "bgp", Set.of("asn", "router_id", "peers", "hold_time", "passive_port",
                "graceful_restart_time"), problems);
        int before = problems.size();
        long asn = 0;
        try {
            asn = BgpPeer.parseAsn(node.path("asn").asText(""));
        } catch (IllegalArgumentException e) {
            problems.add("bgp.asn: " + e.getMessage());
        }
        int routerId = 0;
        try {
            java.net.InetAddress id = IpPrefix.parseAddress(node.path("router_id").asText(""));
            if (id.getAddress().length != 4) {
                throw new IllegalArgumentException("not IPv4");
            }
            routerId = java.nio.ByteBuffer.wrap(id.getAddress()).getInt();
        } catch (IllegalArgumentException e) {
            problems.add("bgp.router_id: expected an IPv4 address");
        }
        List<BgpPeer> peers = new ArrayList<>();
        JsonNode list = node.path("peers");
        if (!list.isArray() || list.isEmpty()) {
            problems.add("bgp.peers: at least one address[:port]/asn is required");
        } else {
            for (int i = 0; i < list.size(); i++) {
                try {
                    peers.add(BgpPeer.parse(list.get(i).asText("")));
                } catch (IllegalArgumentException e) {
                    problems.add("bgp.peers[" + i + "]: " + e.getMessage());
                }
            }
        }
        Duration hold = node.has("hold_time") ? duration(node.get("hold_time").asText(), "bgp.hold_time", problems)
                : Duration.ofSeconds(90);
        Duration restart = node.has("graceful_restart_time")
                ? duration(node.get("graceful_restart_time").asText(), "bgp.graceful_restart_time", problems)
                : Duration.ZERO;
        int passive = node.path("passive_port").asInt(0);
        if (passive < 0 || passive > 65535) {
            problems.add("bgp.passive_port: expected 0-65535");
        }
        if (problems.size() > before || hold == null || restart == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SpeakerSettings(asn, routerId, hold, peers, passive, Duration.ofSeconds(1),
                    Duration.ofSeconds(60), restart));
        } catch (IllegalArgumentException e) {
            problems.add("bgp: " + e.getMessage());
            return Optional.empty();
        }
    }

    private List<Playbook> parsePlaybooks(String yaml, String file, List<String> allProblems) {
        List<String> problems = new ProblemList(file, allProblems);
        JsonNode root = tree(yaml, file, allProblems);
        if (root == null) {
            return List.of();
        }
        checkKeys(root, "", Set.of("playbooks"), problems);
        List<Playbook> playbooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        forEach(root, "playbooks", "", problems, (node, at) -> {
            checkKeys(node, at, Set.of("name", "match", "steps"), problems);
            String name = name(node, "name", at, problems);
            if (name != null && !names.add(name)) {
                problems.add(at + ".name: playbook '" + name + "' is defined twice");
            }
            JsonNode match = node.path("match");
            String matchAt = at + ".match";
            if (!match.isObject()) {
                problems.add(matchAt + ": required, with at least vectors");
                return;
            }
            checkKeys(match, matchAt, Set.of("vectors", "protocols", "dst_ports", "profiles"), problems);
            Set<AttackVector> vectors = new LinkedHashSet<>();
            forEachText(match, "vectors", matchAt, problems, (text, itemAt) -> AttackVector.fromWireName(text)
                    .ifPresentOrElse(vectors::add, () -> problems.add(itemAt + ": '" + text
                            + "' is not one of udp_flood, syn_flood, ack_flood, icmp_flood, unknown")));
            if (vectors.isEmpty()) {
                problems.add(matchAt + ".vectors: at least one vector is required");
            }
            Set<Integer> protocols = new LinkedHashSet<>();
            forEachText(match, "protocols", matchAt, problems, (text, itemAt) -> {
                OptionalInt p = IpProtocols.parse(text);
                if (p.isEmpty()) {
                    problems.add(itemAt + ": '" + text + "' is not a protocol number or name");
                } else {
                    protocols.add(p.getAsInt());
                }
            });
            Set<Integer> ports = new LinkedHashSet<>();
            forEachText(match, "dst_ports", matchAt, problems, (text, itemAt) -> {
                try {
                    int port = Integer.parseInt(text);
                    if (port < 0 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    problems.add(itemAt + ": '" + text + "' is not a port 0-65535");
                }
            });
            Set<PolicyProfile> profiles = new LinkedHashSet<>();
            forEachText(match, "profiles", matchAt, problems, (text, itemAt) -> PolicyProfile.fromWireName(text)
                    .ifPresentOrElse(profiles::add,
                            () -> problems.add(itemAt + ": '" + text + "' is not strict, normal or relaxed")));
            List<PlaybookStep> steps = new ArrayList<>();
            JsonNode stepList = node.get("steps");
            if (stepList == null || !stepList.isArray() || stepList.isEmpty()) {
                problems.add(at + ".steps: at least one step is required");
            } else {
                for (int i = 0; i < stepList.size(); i++) {
                    PlaybookStep step = step(stepList.get(i), i, at + ".steps[" + i + "]", problems);
                    if (step != null) {
                        steps.add(step);
                    }
                }
            }
            playbooks.add(new Playbook(name, vectors, protocols, ports, profiles, steps));
        });
        return playbooks;
    }

    private PlaybookStep step(JsonNode node, int index, String at, List<String> problems) {
        if (!node.isObject()) {
            problems.add(at + ": expected a mapping");
            return null;
        }
        checkKeys(node, at, Set.of("action", "rate_bps", "route_target", "dscp", "ttl", "escalate_when"), problems);
        int before = problems.size();
        String actionText = node.path("action").asText("");
        StepAction action = switch (actionText.toLowerCase(Locale.ROOT)) {
            case "police" -> StepAction.POLICE;
            case "discard" -> StepAction.DISCARD;
            case "redirect" -> StepAction.REDIRECT;
            case "mark" -> StepAction.MARK;
            default -> {
                problems.add(at + ".action: '" + actionText + "' is not police, discard, redirect or mark");
                yield null;
            }
        };
        OptionalLong rate = OptionalLong.empty();
        if (node.hasNonNull("rate_bps")) {
            rate = rate(node.get("rate_bps").asText(), at + ".rate_bps", problems);
        } else if (action == StepAction.POLICE) {
            problems.add(at + ".rate_bps: police needs a rate");
        }
        Optional<String> routeTarget = Optional.empty();
        if (node.hasNonNull("route_target")) {
            String rt = node.get("route_target").asText();
            if (!rt.matches("\\d{1,10}:\\d{1,10}")) {
                problems.add(at + ".route_target: '" + rt + "' is not ASN:value");
            } else {
                routeTarget = Optional.of(rt);
            }
        } else if (action == StepAction.REDIRECT) {
            problems.add(at + ".route_target: redirect needs a route target");
        }
        OptionalInt dscp = OptionalInt.empty();
        if (node.hasNonNull("dscp")) {
            int d = node.get("dscp").asInt(-1);
            if (!node.get("dscp").isIntegralNumber() || d < 0 || d > 63) {
                problems.add(at + ".dscp: expected 0-63");
            } else {
                dscp = OptionalInt.of(d);
            }
        } else if (action == StepAction.MARK) {
            problems.add(at + ".dscp: mark needs a DSCP value");
        }
        Duration ttl = null;
        if (!node.hasNonNull("ttl")) {
            problems.add(at + ".ttl: required");
        } else {
            ttl = duration(node.get("ttl").asText(), at + ".ttl", problems);
            if (ttl != null && !ttlBounds.allows(ttl)) {
                problems.add(at + ".ttl: " + DurationText.format(ttl) + " is outside the allowed "
                        + DurationText.format(ttlBounds.min()) + " to " + DurationText.format(ttlBounds.max()));
            }
        }
        Optional<Escalation> escalation = Optional.empty();
        JsonNode esc = node.get("escalate_when");
        if (esc != null && !esc.isNull()) {
            if (index == 0) {
                problems.add(at + ".escalate_when: the first step has no escalation condition");
            } else {
                escalation = escalation(esc, at + ".escalate_when", problems);
            }
        } else if (index > 0) {
            problems.add(at + ".escalate_when: required for every step after the first");
        }
        if (problems.size() > before) {
            return null;
        }
        return new PlaybookStep(action, rate, routeTarget, dscp, ttl, escalation);
    }

    private static Optional<Escalation> escalation(JsonNode node, String at, List<String> problems) {
        if (!node.isObject()) {
            problems.add(at + ": expected min_persistence and/or min_confidence");
            return Optional.empty();
        }
        checkKeys(node, at, Set.of("min_persistence", "min_confidence"), problems);
        Duration persistence = Duration.ZERO;
        if (node.hasNonNull("min_persistence")) {
            persistence = duration(node.get("min_persistence").asText(), at + ".min_persistence", problems);
        }
        double confidence = 0;
        if (node.hasNonNull("min_confidence")) {
            JsonNode c = node.get("min_confidence");
            confidence = c.asDouble(-1);
            if (!c.isNumber() || confidence < 0 || confidence > 1) {
                problems.add(at + ".min_confidence: expected a number from 0 to 1");
            }
        }
        if (persistence == null) {
            return Optional.empty();
        }
        return Optional.of(new Escalation(persistence, confidence));
    }

    private static Duration duration(String text, String at, List<String> problems) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
            return null;
        }
    }

    /** A rate in bits per second: a number, optionally with k, M, G or T (powers of 1000). */
    static OptionalLong rate(String text, String at, List<String> problems) {
        Matcher m = RATE.matcher(text.strip());
        if (!m.matches()) {
            problems.add(at + ": '" + text + "' is not a rate such as 10000000 or 10M");
            return OptionalLong.empty();
        }
        double value = Double.parseDouble(m.group(1));
        double multiplier = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            case "t" -> 1e12;
            default -> 1;
        };
        long bps = (long) (value * multiplier);
        if (bps < 8) {
            problems.add(at + ": the rate must be at least 8 bits per second");
            return OptionalLong.empty();
        }
        return OptionalLong.of(bps);
    }

    private static IpPrefix prefix(JsonNode node, String at, List<String> problems) {
        if (node == null || !node.isTextual()) {
            problems.add(at + ": expected a prefix such as 192.0.2.0/24");
            return null;
        }
        try {
            // Refuses host bits too: a file is never silently read as something else.
            return IpPrefix.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
            return null;
        }
    }

    /** A safelist prefix: as {@link #prefix}, and not so wide it would switch mitigation off. */
    private static IpPrefix safelistPrefix(JsonNode node, String at, List<String> problems) {
        IpPrefix prefix = prefix(node, at, problems);
        if (prefix == null) {
            return null;
        }
        try {
            SafelistEntry.requireNarrowEnough(prefix);
            return prefix;
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
            return null;
        }
    }

    private static String name(JsonNode node, String field, String at, List<String> problems) {
        String value = node.path(field).asText("");
        if (value.isEmpty()) {
            problems.add(at + "." + field + ": required");
            return null;
        }
        if (!NAME.matcher(value).matches()) {
            problems.add(at + "." + field + ": '" + value + "' may use only letters, digits, '.', '_' and '-'");
            return null;
        }
        return value;
    }

    private static OptionalInt optionalPositiveInt(JsonNode node, String field, String at, List<String> problems) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return OptionalInt.empty();
        }
        if (!n.isIntegralNumber() || n.asInt() < 1) {
            problems.add(at + "." + field + ": expected a positive integer");
            return OptionalInt.empty();
        }
        return OptionalInt.of(n.asInt());
    }

    private static void checkKeys(JsonNode node, String at, Set<String> allowed, List<String> problems) {
        if (!node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                problems.add((at.isEmpty() ? k : at + "." + k) + ": unknown key (expected one of " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        });
    }

    /** Prefixes every problem with the file it is in, so a reload error names the file. */
    private static final class ProblemList extends java.util.AbstractList<String> {
        private final String file;
        private final List<String> target;
        private int size;

        ProblemList(String file, List<String> target) {
            this.file = file;
            this.target = target;
        }

        @Override
        public boolean add(String problem) {
            target.add(file + ": " + problem);
            size++;
            return true;
        }

        @Override
        public String get(int index) {
            throw new UnsupportedOperationException("problems are only added");
        }

        @Override
        public int size() {
            return size;
        }
    }

    private interface ItemReader {
        void read(JsonNode node, String at);
    }

    private interface TextReader {
        void read(String text, String at);
    }

    private static void forEach(JsonNode parent, String field, String at, List<String> problems, ItemReader reader) {
        JsonNode list = parent.get(field);
        if (list == null || list.isNull()) {
            return;
        }
        String listAt = at.isEmpty() ? field : at + "." + field;
        if (!list.isArray()) {
            problems.add(listAt + ": expected a list");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String itemAt = listAt + "[" + i + "]";
            if (!item.isObject() && !item.isTextual()) {
                problems.add(itemAt + ": expected a mapping");
                continue;
            }
            reader.read(item, itemAt);
        }
    }

    private static void forEachText(JsonNode parent, String field, String at, List<String> problems,
                                    TextReader reader) {
        JsonNode list = parent.get(field);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            problems.add(at + "." + field + ": expected a list");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String itemAt = at + "." + field + "[" + i + "]";
            if (!item.isValueNode()) {
                problems.add(itemAt + ": expected a single value");
                continue;
            }
            reader.read(item.asText(), itemAt);
        }
    }
}
