package net.rampart.mitigation.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.rampart.config.YamlValidator;
import net.rampart.mitigation.bgp.SpeakerSettings;
import net.rampart.wire.ip.IpPrefix;

/**
 * The inventory file: customers and their prefixes, POPs, the safelist and the optional
 * {@code bgp} section (read by {@link BgpSection}). Checks what the file says across entries too:
 * names listed twice, and a prefix that two customers claim.
 */
final class InventorySchema {

    private InventorySchema() {
    }

    /** The inventory, or an empty one when the file is not a YAML mapping (the problems say why). */
    static Inventory read(YamlValidator yaml, String source) {
        JsonNode root = yaml.root(source);
        if (root == null) {
            return Inventory.empty();
        }
        yaml.checkKeys(root, "", Set.of("customers", "pops", "safelist", "bgp"));
        List<Pop> pops = pops(root, yaml);
        List<Customer> customers = customers(root, yaml);
        List<SafelistEntry> safelist = safelist(root, yaml);
        Optional<SpeakerSettings> bgp = root.has("bgp") ? BgpSection.read(root.get("bgp"), "bgp", yaml)
                : Optional.empty();
        return new Inventory(customers, pops, safelist, bgp);
    }

    private static List<Pop> pops(JsonNode root, YamlValidator yaml) {
        List<Pop> pops = new ArrayList<>();
        Set<String> names = new HashSet<>();
        yaml.forEachMappingOrText(root, "pops", "", (node, at) -> {
            yaml.checkKeys(node, at, Set.of("name", "description", "max_mitigations"));
            String name = yaml.name(node, "name", at);
            if (name != null && !names.add(name)) {
                yaml.problem(at + ".name", "POP '" + name + "' is listed twice");
            }
            pops.add(new Pop(name, node.path("description").asText(""),
                    yaml.intAtLeast(node, "max_mitigations", at, 1)));
        });
        return pops;
    }

    private static List<Customer> customers(JsonNode root, YamlValidator yaml) {
        List<Customer> customers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<IpPrefix, String> prefixOwners = new HashMap<>();
        yaml.forEachMappingOrText(root, "customers", "", (node, at) -> {
            yaml.checkKeys(node, at, Set.of("id", "name", "policy_profile", "prefixes", "max_mitigations"));
            String id = yaml.name(node, "id", at);
            if (id != null && !ids.add(id)) {
                yaml.problem(at + ".id", "customer '" + id + "' is listed twice");
            }
            PolicyProfile profile = PolicyProfile.NORMAL;
            if (node.hasNonNull("policy_profile")) {
                String p = node.get("policy_profile").asText();
                Optional<PolicyProfile> parsed = PolicyProfile.fromWireName(p);
                if (parsed.isEmpty()) {
                    yaml.problem(at + ".policy_profile", "'" + p + "' is not strict, normal or relaxed");
                } else {
                    profile = parsed.get();
                }
            }
            List<IpPrefix> prefixes = new ArrayList<>();
            JsonNode list = node.get("prefixes");
            if (list == null || !list.isArray() || list.isEmpty()) {
                yaml.problem(at + ".prefixes", "at least one prefix is required");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    String prefixAt = at + ".prefixes[" + i + "]";
                    IpPrefix prefix = prefix(list.get(i), prefixAt, yaml);
                    if (prefix == null) {
                        continue;
                    }
                    String previous = prefixOwners.putIfAbsent(prefix, id);
                    if (previous != null) {
                        yaml.problem(prefixAt, prefix + " already belongs to customer '" + previous + "'");
                    }
                    prefixes.add(prefix);
                }
            }
            customers.add(new Customer(id, node.path("name").asText(id == null ? "" : id), profile, prefixes,
                    yaml.intAtLeast(node, "max_mitigations", at, 1)));
        });
        return customers;
    }

    private static List<SafelistEntry> safelist(JsonNode root, YamlValidator yaml) {
        List<SafelistEntry> safelist = new ArrayList<>();
        yaml.forEachMappingOrText(root, "safelist", "", (node, at) -> {
            // A bare prefix is allowed as a list item, for short safelists.
            if (node.isTextual()) {
                IpPrefix prefix = safelistPrefix(node, at, yaml);
                if (prefix != null) {
                    safelist.add(new SafelistEntry(prefix, "", "file"));
                }
                return;
            }
            yaml.checkKeys(node, at, Set.of("prefix", "reason"));
            IpPrefix prefix = safelistPrefix(node.get("prefix"), at + ".prefix", yaml);
            if (prefix != null) {
                safelist.add(new SafelistEntry(prefix, node.path("reason").asText(""), "file"));
            }
        });
        return safelist;
    }

    private static IpPrefix prefix(JsonNode node, String at, YamlValidator yaml) {
        if (node == null || !node.isTextual()) {
            yaml.problem(at, "expected a prefix such as 192.0.2.0/24");
            return null;
        }
        try {
            // Refuses host bits too: a file is never silently read as something else.
            return IpPrefix.parse(node.asText());
        } catch (IllegalArgumentException e) {
            yaml.problem(at, e.getMessage());
            return null;
        }
    }

    /** A safelist prefix: as {@link #prefix}, and not so wide it would switch mitigation off. */
    private static IpPrefix safelistPrefix(JsonNode node, String at, YamlValidator yaml) {
        IpPrefix prefix = prefix(node, at, yaml);
        if (prefix == null) {
            return null;
        }
        try {
            SafelistEntry.requireNarrowEnough(prefix);
            return prefix;
        } catch (IllegalArgumentException e) {
            yaml.problem(at, e.getMessage());
            return null;
        }
    }
}
