package net.rampart.server.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the API accepts as text, checked before anything is stored or logged. PostgreSQL refuses
 * U+0000 in TEXT and JSONB, and a row it refuses wedges the writer that holds it, so such input
 * must be a 400 at the edge, not a failure later. Refused in every text field: control
 * characters (U+0000 to U+001F and U+007F), which also forge log lines and terminal output, and
 * unpaired surrogates, which have no UTF-8 form. Every string has a maximum length. The table of
 * limits is in docs/security.md; lengths count characters (code points), positions count from 1.
 */
public final class TextLimits {

    /** Names: API token names, operators, event ids. */
    public static final int NAME = 128;
    /** The detector an event comes from. */
    public static final int SOURCE = 128;
    /** Why something was done: withdrawal and safelist reasons. */
    public static final int REASON = 1024;
    /** Any other string or field name in a request body. */
    public static final int TEXT = 1024;
    /** A detector's own JSON, kept verbatim with its event: limited as JSON text, as it is stored. */
    public static final int RAW_DETAILS = 64 * 1024;
    /** Every query and path parameter. */
    public static final int PARAMETER = 256;

    private TextLimits() {
    }

    /** {@code value}, when it is text of at most {@code max} characters; refused naming the parameter otherwise. */
    public static String parameter(String name, String value, int max) {
        String problem = problem(value, max, false);
        if (problem != null) {
            throw InvalidInputException.parameter(name, problem);
        }
        return value;
    }

    /**
     * Every field name and string of a JSON request body. A string under a top-level field named
     * in {@code limits} may have that many characters, any other string or field name
     * {@link #TEXT}; an object or array under a named field is limited as a whole, by its JSON
     * text. Under a field named in {@code prose} (a detector's free text, kept as JSON), strings
     * may also hold tabs and line breaks, which JSON stores escaped, and be as long as
     * {@link #RAW_DETAILS}.
     *
     * @throws InvalidInputException naming the first field at fault, as a path such as {@code alerts[0].labels.vector}
     */
    public static void body(JsonNode body, Map<String, Integer> limits, Set<String> prose) {
        if (!body.isObject()) {
            walk("", body, TEXT, false, prose);
            return;
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            fieldName("", field.getKey());
            Integer limit = limits.get(field.getKey());
            if (limit != null && field.getValue().isContainerNode()) {
                jsonText(field.getKey(), field.getValue(), limit);
            }
            walk(field.getKey(), field.getValue(), limit == null ? TEXT : limit, prose.contains(field.getKey()), prose);
        }
    }

    /** Refuses {@code node} when its JSON text, as it would be stored, is longer than {@code max} characters. */
    public static void jsonText(String field, JsonNode node, int max) {
        String text = node.toString();
        int characters = text.codePointCount(0, text.length());
        if (characters > max) {
            throw InvalidInputException.field(field, characters + " characters of JSON, at most " + max);
        }
    }

    private static void walk(String path, JsonNode node, int max, boolean inProse, Set<String> prose) {
        if (node.isTextual()) {
            String problem = inProse ? problem(node.textValue(), RAW_DETAILS, true) : problem(node.textValue(), max, false);
            if (problem != null) {
                throw InvalidInputException.field(path.isEmpty() ? "body" : path, problem);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                fieldName(path, field.getKey());
                walk(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), max,
                        inProse || prose.contains(field.getKey()), prose);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(path + "[" + i + "]", node.get(i), max, inProse, prose);
            }
        }
    }

    /** A field name cannot be shown when it is what is wrong, so the refusal names the object holding it. */
    private static void fieldName(String path, String name) {
        String problem = problem(name, TEXT, false);
        if (problem != null) {
            throw InvalidInputException.field(path.isEmpty() ? "body" : path, "field name: " + problem);
        }
    }

    /**
     * What is wrong with {@code value}, or null when nothing is. The first bad character is named
     * by its code and position, never shown: it is what the answer must not carry.
     *
     * @param proseWhitespace whether tab, line feed and carriage return are allowed
     */
    private static String problem(String value, int max, boolean proseWhitespace) {
        int characters = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            characters++;
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (" + code(c) + ") at position " + characters;
            } else if ((c < 0x20 || c == 0x7F) && !(proseWhitespace && (c == '\t' || c == '\n' || c == '\r'))) {
                return "contains a control character (" + code(c) + ") at position " + characters;
            }
        }
        return characters > max ? characters + " characters, at most " + max : null;
    }

    private static String code(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}
