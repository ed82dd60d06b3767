package net.rampart.detect.monitor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.rampart.wire.Asn;

/**
 * Reads typed values out of one YAML file's node tree and collects every problem rather than
 * stopping at the first, each prefixed with the file and the setting's path
 * ({@code monitors.yaml: prefixes[2].origins[0]: ...}), so an operator fixes a file in one go.
 * The same approach as the mitigation policy's reader; both should share one once it moves to
 * a common place.
 */
final class YamlProblems {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            // A key written twice is a mistake YAML itself would let the last one win.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Reads one item of a list; {@code at} is the item's path. */
    interface ItemReader {
        void read(JsonNode item, String at);
    }

    private final String file;
    private final List<String> problems;

    YamlProblems(String file, List<String> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The path of {@code key} in the mapping at {@code at}. */
    static String path(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    /** Adds a problem at a path; the empty path is the file as a whole. */
    void problem(String at, String message) {
        problems.add(file + ": " + (at.isEmpty() ? message : at + ": " + message));
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** The top-level mapping, or null (with a problem). */
    JsonNode root(String yaml) {
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || root.isMissingNode() || root.isNull()) {
                // An empty file is far more likely caught half-written than meant to watch nothing.
                problem("", "the file is empty");
                return null;
            }
            if (!root.isObject()) {
                problem("", "expected a mapping at the top level");
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            problem("", "not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
            return null;
        }
    }

    /** True for a mapping whose keys are all {@code allowed}; each other key, or a non-mapping, is a problem. */
    boolean mapping(JsonNode node, String at, Set<String> allowed) {
        if (!node.isObject()) {
            problem(at, "expected a mapping");
            return false;
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                // Most likely a typo, which would otherwise switch a setting off without a word.
                problem(path(at, k), "unknown key (expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        });
        return true;
    }

    /** Each item of the optional list under {@code key}. */
    void forEach(JsonNode parent, String key, String at, ItemReader reader) {
        String listAt = path(at, key);
        JsonNode list = parent.get(key);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            problem(listAt, "expected a list");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            reader.read(list.get(i), listAt + "[" + i + "]");
        }
    }

    /** An ASN as {@link Asn#parse} reads it, or -1 (with a problem). */
    long asn(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            problem(at, "required");
            return -1;
        }
        if (node.isFloatingPointNumber()) {
            // Unquoted asdot is a YAML float: 1.10 arrives as 1.1, another ASN.
            problem(at, "YAML reads " + node.asText() + " as a number; write asdot in quotes, e.g. '1.10'");
            return -1;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            problem(at, "expected an ASN such as 64500 or AS64500");
            return -1;
        }
        try {
            return Asn.parse(node.asText());
        } catch (IllegalArgumentException e) {
            problem(at, e.getMessage());
            return -1;
        }
    }

    /** The optional list of ASNs under {@code key}; each bad or repeated one is a problem. */
    AsnSet asns(JsonNode parent, String key, String at) {
        List<Long> asns = new ArrayList<>();
        forEach(parent, key, at, (item, itemAt) -> {
            long asn = asn(item, itemAt);
            if (asn < 0) {
                return;
            }
            if (asns.contains(asn)) {
                problem(itemAt, "AS" + asn + " is listed twice");
            }
            asns.add(asn);
        });
        return AsnSet.of(asns.stream().mapToLong(Long::longValue).toArray());
    }

    /** A name other settings refer to (a group, a channel), or null (with a problem). */
    String name(String value, String at) {
        if (!NAME.matcher(value).matches()) {
            problem(at, "'" + value + "' is not a name: letters, digits, '.', '_' and '-', at most 64");
            return null;
        }
        return value;
    }

    /** Optional text; anything but a single value is a problem. */
    String text(JsonNode node, String key, String at, String absent) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isValueNode()) {
            problem(path(at, key), "expected text");
            return absent;
        }
        return n.asText();
    }

    boolean bool(JsonNode node, String key, String at, boolean absent) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isBoolean()) {
            problem(path(at, key), "expected true or false");
            return absent;
        }
        return n.asBoolean();
    }

    /** An optional whole number of at least {@code min}. */
    OptionalInt intAtLeast(JsonNode node, String key, String at, int min) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return OptionalInt.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min) {
            problem(path(at, key), "expected a whole number of at least " + min);
            return OptionalInt.empty();
        }
        return OptionalInt.of(n.asInt());
    }

    /** An optional regex, compiled now so that a bad one stops the load rather than a detector. */
    Pattern regex(JsonNode node, String key, String at) {
        String text = text(node, key, at, null);
        if (text == null) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            problem(path(at, key), "'" + text + "' is not a regex: " + e.getDescription());
            return null;
        }
    }
}
