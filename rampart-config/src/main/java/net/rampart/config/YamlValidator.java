package net.rampart.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.rampart.wire.Asn;
import net.rampart.wire.DurationText;

/**
 * Reads typed values out of one YAML file's node tree and collects every problem in it rather
 * than stopping at the first, each prefixed with the file and its path in the tree
 * ({@code playbooks.yaml: playbooks[0].steps[1].rate_bps: ...}), so an operator fixes a file in
 * one go. Paths are written as the schemas walk the tree: the top level is the empty path,
 * {@link #path} adds a key and the {@code forEach} methods an index.
 */
public final class YamlValidator {

    /** What a key written twice in one mapping does. */
    public enum DuplicateKeys {
        /** The file is not valid YAML: YAML itself would let the last one win, which hides a mistake. */
        REFUSED,
        /** The last one wins, as YAML itself has it. */
        LAST_WINS
    }

    private static final ObjectMapper LAST_WINS = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper REFUSED = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Reads one item of a list; {@code at} is the item's path. */
    public interface ItemReader {
        void read(JsonNode item, String at);
    }

    /** Reads one value of a list of single values; {@code at} is the value's path. */
    public interface TextReader {
        void read(String text, String at);
    }

    private final String file;
    private final List<String> problems;
    private final ObjectMapper yaml;
    private int count;

    /**
     * @param file     the file's name, which starts each of its problems, so a reload error names the file
     * @param problems where the problems go; several files may share one list
     */
    public YamlValidator(String file, List<String> problems, DuplicateKeys duplicateKeys) {
        this.file = file;
        this.problems = problems;
        this.yaml = duplicateKeys == DuplicateKeys.REFUSED ? REFUSED : LAST_WINS;
    }

    /** The path of {@code key} in the mapping at {@code at}. */
    public static String path(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    /** Adds a problem at a path; the empty path is the file as a whole. */
    public void problem(String at, String message) {
        problems.add(file + ": " + (at.isEmpty() ? message : at + ": " + message));
        count++;
    }

    /** The problems this file has had so far: a reader compares counts to see whether a part of it was sound. */
    public int problemCount() {
        return count;
    }

    public boolean hasProblems() {
        return count > 0;
    }

    /** The file's text, or null (with a problem) when it cannot be read. */
    public String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            problem("", "cannot read: " + e.getMessage());
            return null;
        }
    }

    /** The top-level mapping, or null (with a problem unless {@code text} is null, already reported). */
    public JsonNode root(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode root = yaml.readTree(text);
            if (root == null || root.isMissingNode() || root.isNull()) {
                // A configured file with nothing in it is far more likely caught half-written
                // than meant to remove everything it used to hold.
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

    /**
     * Each key of a mapping that is not {@code allowed} is a problem: most likely a typo, which
     * would otherwise switch a setting off without a word. Anything but a mapping is left to the
     * schema, which says what it expected there.
     */
    public void checkKeys(JsonNode node, String at, Set<String> allowed) {
        if (!node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                problem(path(at, k), "unknown key (expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        });
    }

    /** True for a mapping, whose keys are checked as {@link #checkKeys} does; anything else is a problem. */
    public boolean mapping(JsonNode node, String at, Set<String> allowed) {
        if (!node.isObject()) {
            problem(at, "expected a mapping");
            return false;
        }
        checkKeys(node, at, allowed);
        return true;
    }

    /** Each item of the optional list under {@code key}, whatever it is: the reader checks its shape. */
    public void forEach(JsonNode parent, String key, String at, ItemReader reader) {
        String listAt = path(at, key);
        JsonNode list = optionalList(parent, key, listAt);
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            reader.read(list.get(i), listAt + "[" + i + "]");
        }
    }

    /**
     * Each item of the optional list of mappings under {@code key}; a text item is passed on too,
     * as the short form a schema may allow (a bare prefix for a safelist entry). Any other item is
     * a problem, and the reader never sees it.
     */
    public void forEachMappingOrText(JsonNode parent, String key, String at, ItemReader reader) {
        forEach(parent, key, at, (item, itemAt) -> {
            if (!item.isObject() && !item.isTextual()) {
                problem(itemAt, "expected a mapping");
            } else {
                reader.read(item, itemAt);
            }
        });
    }

    /** Each value of the optional list of single values under {@code key}, as text. */
    public void forEachText(JsonNode parent, String key, String at, TextReader reader) {
        forEach(parent, key, at, (item, itemAt) -> {
            if (!item.isValueNode()) {
                problem(itemAt, "expected a single value");
            } else {
                reader.read(item.asText(), itemAt);
            }
        });
    }

    /** The list under {@code key}, or null when it is absent or (reported at {@code listAt}) not a list. */
    private JsonNode optionalList(JsonNode parent, String key, String listAt) {
        JsonNode list = parent.get(key);
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            problem(listAt, "expected a list");
            return null;
        }
        return list;
    }

    /** A required name under {@code key}, or null (with a problem); see {@link #name(String, String)}. */
    public String name(JsonNode node, String key, String at) {
        String value = node.path(key).asText("");
        if (value.isEmpty()) {
            problem(path(at, key), "required");
            return null;
        }
        return name(value, path(at, key));
    }

    /**
     * A name other settings, logs and the API refer to (a customer, a POP, a group, a channel), or
     * null (with a problem).
     */
    public String name(String value, String at) {
        if (!NAME.matcher(value).matches()) {
            problem(at, "'" + value + "' is not a name: letters, digits, '.', '_' and '-', at most 64");
            return null;
        }
        return value;
    }

    /** Optional text; anything but a single value is a problem. */
    public String text(JsonNode node, String key, String at, String absent) {
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

    public boolean bool(JsonNode node, String key, String at, boolean absent) {
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

    /** An optional whole number of at least {@code min}; one past the int range is refused, not wrapped. */
    public OptionalInt intAtLeast(JsonNode node, String key, String at, int min) {
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

    /** A duration as {@link DurationText#parse} reads it, or null (with a problem). */
    public Duration duration(String text, String at) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            problem(at, e.getMessage());
            return null;
        }
    }

    /** An optional regex, compiled now so that a bad one stops the load rather than whatever uses it. */
    public Pattern regex(JsonNode node, String key, String at) {
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

    /** A required ASN as {@link Asn#parse} reads it, or -1 (with a problem). */
    public long asn(JsonNode node, String at) {
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

    /**
     * The ASNs of the optional list under {@code key}, each once, in file order;
     * a bad or repeated one is a problem.
     */
    public long[] asns(JsonNode parent, String key, String at) {
        List<Long> asns = new ArrayList<>();
        forEach(parent, key, at, (item, itemAt) -> {
            long asn = asn(item, itemAt);
            if (asn < 0) {
                return;
            }
            if (asns.contains(asn)) {
                problem(itemAt, "AS" + asn + " is listed twice");
            } else {
                asns.add(asn);
            }
        });
        return asns.stream().mapToLong(Long::longValue).toArray();
    }
}
