package net.rampart.mitigation.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.rampart.config.YamlValidator;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.IpProtocols;
import net.rampart.wire.DurationText;

/**
 * The playbooks file: each playbook's match and its steps, the first without an escalation
 * condition and every later one with one, each TTL within the allowed bounds.
 */
final class PlaybookSchema {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]?)");

    private final TtlBounds ttlBounds;

    PlaybookSchema(TtlBounds ttlBounds) {
        this.ttlBounds = ttlBounds;
    }

    /** The playbooks, or none when the file is not a YAML mapping (the problems say why). */
    List<Playbook> read(YamlValidator yaml, String source) {
        JsonNode root = yaml.root(source);
        if (root == null) {
            return List.of();
        }
        yaml.checkKeys(root, "", Set.of("playbooks"));
        List<Playbook> playbooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        yaml.forEachMappingOrText(root, "playbooks", "", (node, at) -> {
            yaml.checkKeys(node, at, Set.of("name", "match", "steps"));
            String name = yaml.name(node, "name", at);
            if (name != null && !names.add(name)) {
                yaml.problem(at + ".name", "playbook '" + name + "' is defined twice");
            }
            JsonNode match = node.path("match");
            String matchAt = at + ".match";
            if (!match.isObject()) {
                yaml.problem(matchAt, "required, with at least vectors");
                return;
            }
            yaml.checkKeys(match, matchAt, Set.of("vectors", "protocols", "dst_ports", "profiles"));
            Set<AttackVector> vectors = new LinkedHashSet<>();
            yaml.forEachText(match, "vectors", matchAt, (text, itemAt) -> AttackVector.fromWireName(text)
                    .ifPresentOrElse(vectors::add, () -> yaml.problem(itemAt, "'" + text
                            + "' is not one of udp_flood, syn_flood, ack_flood, icmp_flood, unknown")));
            if (vectors.isEmpty()) {
                yaml.problem(matchAt + ".vectors", "at least one vector is required");
            }
            Set<Integer> protocols = new LinkedHashSet<>();
            yaml.forEachText(match, "protocols", matchAt, (text, itemAt) -> {
                OptionalInt p = IpProtocols.parse(text);
                if (p.isEmpty()) {
                    yaml.problem(itemAt, "'" + text + "' is not a protocol number or name");
                } else {
                    protocols.add(p.getAsInt());
                }
            });
            Set<Integer> ports = new LinkedHashSet<>();
            yaml.forEachText(match, "dst_ports", matchAt, (text, itemAt) -> {
                try {
                    int port = Integer.parseInt(text);
                    if (port < 0 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    yaml.problem(itemAt, "'" + text + "' is not a port 0-65535");
                }
            });
            Set<PolicyProfile> profiles = new LinkedHashSet<>();
            yaml.forEachText(match, "profiles", matchAt, (text, itemAt) -> PolicyProfile.fromWireName(text)
                    .ifPresentOrElse(profiles::add,
                            () -> yaml.problem(itemAt, "'" + text + "' is not strict, normal or relaxed")));
            List<PlaybookStep> steps = new ArrayList<>();
            JsonNode stepList = node.get("steps");
            if (stepList == null || !stepList.isArray() || stepList.isEmpty()) {
                yaml.problem(at + ".steps", "at least one step is required");
            } else {
                for (int i = 0; i < stepList.size(); i++) {
                    PlaybookStep step = step(stepList.get(i), i, at + ".steps[" + i + "]", yaml);
                    if (step != null) {
                        steps.add(step);
                    }
                }
            }
            playbooks.add(new Playbook(name, vectors, protocols, ports, profiles, steps));
        });
        return playbooks;
    }

    private PlaybookStep step(JsonNode node, int index, String at, YamlValidator yaml) {
        if (!node.isObject()) {
            yaml.problem(at, "expected a mapping");
            return null;
        }
        yaml.checkKeys(node, at, Set.of("action", "rate_bps", "route_target", "dscp", "ttl", "escalate_when"));
        int before = yaml.problemCount();
        String actionText = node.path("action").asText("");
        StepAction action = switch (actionText.toLowerCase(Locale.ROOT)) {
            case "police" -> StepAction.POLICE;
            case "discard" -> StepAction.DISCARD;
            case "redirect" -> StepAction.REDIRECT;
            case "mark" -> StepAction.MARK;
            default -> {
                yaml.problem(at + ".action", "'" + actionText + "' is not police, discard, redirect or mark");
                yield null;
            }
        };
        OptionalLong rate = OptionalLong.empty();
        if (node.hasNonNull("rate_bps")) {
            rate = rate(node.get("rate_bps").asText(), at + ".rate_bps", yaml);
        } else if (action == StepAction.POLICE) {
            yaml.problem(at + ".rate_bps", "police needs a rate");
        }
        Optional<String> routeTarget = Optional.empty();
        if (node.hasNonNull("route_target")) {
            String rt = node.get("route_target").asText();
            if (!rt.matches("\\d{1,10}:\\d{1,10}")) {
                yaml.problem(at + ".route_target", "'" + rt + "' is not ASN:value");
            } else {
                routeTarget = Optional.of(rt);
            }
        } else if (action == StepAction.REDIRECT) {
            yaml.problem(at + ".route_target", "redirect needs a route target");
        }
        OptionalInt dscp = OptionalInt.empty();
        if (node.hasNonNull("dscp")) {
            int d = node.get("dscp").asInt(-1);
            if (!node.get("dscp").isIntegralNumber() || d < 0 || d > 63) {
                yaml.problem(at + ".dscp", "expected 0-63");
            } else {
                dscp = OptionalInt.of(d);
            }
        } else if (action == StepAction.MARK) {
            yaml.problem(at + ".dscp", "mark needs a DSCP value");
        }
        Duration ttl = null;
        if (!node.hasNonNull("ttl")) {
            yaml.problem(at + ".ttl", "required");
        } else {
            ttl = yaml.duration(node.get("ttl").asText(), at + ".ttl");
            if (ttl != null && !ttlBounds.allows(ttl)) {
                yaml.problem(at + ".ttl", DurationText.format(ttl) + " is outside the allowed "
                        + DurationText.format(ttlBounds.min()) + " to " + DurationText.format(ttlBounds.max()));
            }
        }
        Optional<Escalation> escalation = Optional.empty();
        JsonNode esc = node.get("escalate_when");
        if (esc != null && !esc.isNull()) {
            if (index == 0) {
                yaml.problem(at + ".escalate_when", "the first step has no escalation condition");
            } else {
                escalation = escalation(esc, at + ".escalate_when", yaml);
            }
        } else if (index > 0) {
            yaml.problem(at + ".escalate_when", "required for every step after the first");
        }
        if (yaml.problemCount() > before) {
            return null;
        }
        return new PlaybookStep(action, rate, routeTarget, dscp, ttl, escalation);
    }

    private static Optional<Escalation> escalation(JsonNode node, String at, YamlValidator yaml) {
        if (!node.isObject()) {
            yaml.problem(at, "expected min_persistence and/or min_confidence");
            return Optional.empty();
        }
        yaml.checkKeys(node, at, Set.of("min_persistence", "min_confidence"));
        Duration persistence = Duration.ZERO;
        if (node.hasNonNull("min_persistence")) {
            persistence = yaml.duration(node.get("min_persistence").asText(), at + ".min_persistence");
        }
        double confidence = 0;
        if (node.hasNonNull("min_confidence")) {
            JsonNode c = node.get("min_confidence");
            confidence = c.asDouble(-1);
            if (!c.isNumber() || confidence < 0 || confidence > 1) {
                yaml.problem(at + ".min_confidence", "expected a number from 0 to 1");
            }
        }
        if (persistence == null) {
            return Optional.empty();
        }
        return Optional.of(new Escalation(persistence, confidence));
    }

    /** A rate in bits per second: a number, optionally with k, M, G or T (powers of 1000). */
    static OptionalLong rate(String text, String at, YamlValidator yaml) {
        Matcher m = RATE.matcher(text.strip());
        if (!m.matches()) {
            yaml.problem(at, "'" + text + "' is not a rate such as 10000000 or 10M");
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
            yaml.problem(at, "the rate must be at least 8 bits per second");
            return OptionalLong.empty();
        }
        return OptionalLong.of(bps);
    }
}
