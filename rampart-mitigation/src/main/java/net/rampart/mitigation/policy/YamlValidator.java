package net.rampart.mitigation.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import net.rampart.wire.DurationText;

/**
 * Reads one YAML file's node tree and collects every problem in it rather than stopping at the
 * first, each prefixed with the file and its path in the tree
 * ({@code playbooks.yaml: playbooks[0].steps[1].rate_bps: ...}), so an operator fixes a file in
 * one go. Paths are written as the schemas walk the tree: the top level is the empty path,
 * {@link #path} adds a key and {@link #forEach} an index.
 */
final class YamlValidator {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Reads one item of a list; {@code at} is the item's path. */
    interface ItemReader {
        void read(JsonNode node, String at);
    }

    /** Reads one value of a list of single values; {@code at} is the value's path. */
    interface TextReader {
        void read(String text, String at);
    }

    private final String file;
    private final List<String> problems;
    private int count;

    /**
     * @param file     the file's name, which starts each of its problems, so a reload error names the file
     * @param problems where the problems go; several files may share one list
     */
    YamlValidator(String file, List<String> problems) {
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
        count++;
    }

    /** The problems this file has had so far: a reader compares counts to see whether a part of it was sound. */
    int problemCount() {
        return count;
    }

    /** The file's text, or null (with a problem) when it cannot be read. */
    String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            problem("", "cannot read: " + e.getMessage());
            return null;
        }
    }

    /** The top-level mapping, or null (with a problem unless {@code yaml} is null, already reported). */
    JsonNode root(String yaml) {
        if (yaml == null) {
            return null;
        }
        try {
            JsonNode root = YAML.readTree(yaml);
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

    /** A key the schema does not know is a problem: most likely a typo that would otherwise be ignored. */
    void checkKeys(JsonNode node, String at, Set<String> allowed) {
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

    /** Each item of an optional list of mappings (or bare values, where a schema allows them). */
    void forEach(JsonNode parent, String key, String at, ItemReader reader) {
        String listAt = path(at, key);
        JsonNode list = optionalList(parent, key, listAt);
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String itemAt = listAt + "[" + i + "]";
            if (!item.isObject() && !item.isTextual()) {
                problem(itemAt, "expected a mapping");
                continue;
            }
            reader.read(item, itemAt);
        }
    }

    /** Each value of an optional list of single values, as text. */
    void forEachText(JsonNode parent, String key, String at, TextReader reader) {
        String listAt = path(at, key);
        JsonNode list = optionalList(parent, key, listAt);
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String itemAt = listAt + "[" + i + "]";
            if (!item.isValueNode()) {
                problem(itemAt, "expected a single value");
                continue;
            }
            reader.read(item.asText(), itemAt);
        }
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

    /** A required name: customers, POPs and playbooks are referred to by it, in logs and the API. */
    String name(JsonNode node, String key, String at) {
        String value = node.path(key).asText("");
        if (value.isEmpty()) {
            problem(path(at, key), "required");
            return null;
        }
        if (!NAME.matcher(value).matches()) {
            problem(path(at, key), "'" + value + "' may use only letters, digits, '.', '_' and '-'");
            return null;
        }
        return value;
    }

    OptionalInt optionalPositiveInt(JsonNode node, String key, String at) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return OptionalInt.empty();
        }
        if (!n.isIntegralNumber() || n.asInt() < 1) {
            problem(path(at, key), "expected a positive integer");
            return OptionalInt.empty();
        }
        return OptionalInt.of(n.asInt());
    }

    /** A duration as {@link DurationText#parse} reads it, or null (with a problem). */
    Duration duration(String text, String at) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            problem(at, e.getMessage());
            return null;
        }
    }
}
