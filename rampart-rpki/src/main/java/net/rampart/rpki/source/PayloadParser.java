package net.rampart.rpki.source;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads VRPs, ASPAs and router keys from the export formats relying parties write,
 * recognising the format from the content: Routinator {@code /json} ("AS123" strings,
 * {@code metadata.generated}, {@code aspas[].customer}), rpki-client JSON (numeric ASNs,
 * {@code expires}, {@code aspas[].customer_asid}, {@code bgpsec_keys}), Routinator's
 * {@code jsonext} (as {@code /json}, with each ROA's {@code source} objects and their
 * validity, read for the VRP's expiry), StayRTR JSON
 * ({@code provider_authorizations}) and Routinator's {@code /csv}. The ROA array is
 * streamed, so a million entries never exist as a JSON tree.
 */
public final class PayloadParser {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private PayloadParser() {
    }

    /**
     * @throws IOException when the content is neither well-formed JSON of a known shape nor CSV
     */
    public static SourceData parse(InputStream in, String source, Instant now) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(64);
        int first;
        do {
            first = buffered.read();
        } while (first == ' ' || first == '\n' || first == '\r' || first == '\t' || first == 0xEF || first == 0xBB
                || first == 0xBF);
        buffered.reset();
        EntryChecker checker = new EntryChecker(source, now);
        if (first == '{') {
            return parseJson(buffered, checker);
        }
        if (first == 'A' || first == 'a') {
            return parseCsv(buffered, checker);
        }
        throw new IOException("neither JSON nor CSV VRP data");
    }

    private static SourceData parseJson(InputStream in, EntryChecker checker) throws IOException {
        String format = null;
        Instant generated = null;
        boolean sawPayload = false;
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("VRP JSON is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "metadata" -> {
                        JsonNode m = MAPPER.readTree(p);
                        if (m.has("buildtime")) {
                            format = "rpki-client";
                            generated = isoTime(m.get("buildtime").asText());
                        } else if (m.has("generatedTime") || m.has("generated")) {
                            format = m.has("generatedTime") ? "routinator" : "stayrtr";
                            generated = m.has("generated") && m.get("generated").canConvertToLong()
                                    ? Instant.ofEpochSecond(m.get("generated").asLong())
                                    : isoTime(m.path("generatedTime").asText());
                        }
                    }
                    case "roas" -> {
                        sawPayload = true;
                        boolean numeric = parseRoas(p, checker);
                        if (format == null) {
                            format = numeric ? "rpki-client" : "routinator";
                        }
                    }
                    case "aspas" -> {
                        sawPayload = true;
                        for (JsonNode a : array(MAPPER.readTree(p))) {
                            String customer = a.has("customer_asid") ? a.get("customer_asid").asText()
                                    : a.path("customer").asText(null);
                            checker.aspa(customer, texts(a.path("providers")), longOrNull(a.get("expires")));
                        }
                    }
                    case "provider_authorizations" -> {
                        sawPayload = true;
                        if (format == null || format.equals("rpki-client")) {
                            format = "stayrtr";
                        }
                        JsonNode byFamily = MAPPER.readTree(p);
                        for (JsonNode family : byFamily) {
                            for (JsonNode a : array(family)) {
                                checker.aspa(a.path("customer_asid").asText(null), texts(a.path("providers")),
                                        longOrNull(a.get("expires")));
                            }
                        }
                    }
                    case "routerKeys", "bgpsec_keys" -> {
                        sawPayload = true;
                        for (JsonNode k : array(MAPPER.readTree(p))) {
                            String ski = k.has("SKI") ? k.get("SKI").asText() : k.path("ski").asText("");
                            String key = k.has("routerPublicKey") ? k.get("routerPublicKey").asText()
                                    : k.path("pubkey").asText("");
                            byte[] skiBytes;
                            byte[] keyBytes;
                            try {
                                skiBytes = HexFormat.of().parseHex(ski);
                                keyBytes = base64(key);
                            } catch (IllegalArgumentException e) {
                                checker.reject("malformed", "router key " + ski);
                                continue;
                            }
                            checker.routerKey(k.path("asn").asText(null), skiBytes, keyBytes);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("malformed VRP JSON: " + e.getOriginalMessage(), e);
        }
        if (!sawPayload && format == null) {
            throw new IOException("JSON has neither metadata nor roas: not VRP data");
        }
        return checker.result(format == null ? "routinator" : format, generated);
    }

    /** Streams the ROA array; returns whether the ASNs were numeric (rpki-client style). */
    private static boolean parseRoas(JsonParser p, EntryChecker checker) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IOException("roas is not an array");
        }
        boolean numeric = false;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String asn = null;
            String prefix = null;
            Integer maxLength = null;
            String ta = null;
            Long expires = null;
            boolean bad = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "asn" -> {
                        numeric |= t == JsonToken.VALUE_NUMBER_INT;
                        asn = t.isScalarValue() ? p.getValueAsString() : null;
                    }
                    case "prefix" -> prefix = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "maxLength" -> {
                        if (t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0 && p.getLongValue() <= 255) {
                            maxLength = p.getIntValue();
                        } else {
                            bad = true;
                        }
                    }
                    case "ta" -> ta = p.getValueAsString();
                    case "expires" -> expires = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "source" -> {
                        JsonNode sources = MAPPER.readTree(p);
                        expires = jsonextExpiry(sources);
                        if (ta == null) {
                            ta = sources.path(0).path("tal").asText(null);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (bad) {
                checker.reject("max_length", asn + " " + prefix);
            } else {
                checker.roa(asn, prefix, maxLength, ta, expires);
            }
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IOException("roas holds something other than objects");
        }
        return numeric;
    }

    /**
     * The expiry of a Routinator {@code jsonext} VRP: it stays valid while any of the ROAs
     * behind it does, so the latest {@code chainValidity.notAfter} (the end of the ROA's
     * certificate chain; {@code validity.notAfter} when there is no chain validity); null,
     * unknown, when one of them says no end.
     */
    private static Long jsonextExpiry(JsonNode sources) {
        Long latest = null;
        for (JsonNode source : array(sources)) {
            JsonNode validity = source.path("chainValidity").has("notAfter") ? source.path("chainValidity")
                    : source.path("validity");
            Instant end = isoTime(validity.path("notAfter").asText(""));
            if (end == null) {
                return null;
            }
            latest = latest == null ? end.getEpochSecond() : Math.max(latest, end.getEpochSecond());
        }
        return latest;
    }

    private static SourceData parseCsv(InputStream in, EntryChecker checker) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null || !header.startsWith("ASN,")) {
            throw new IOException("CSV without the ASN,IP Prefix,Max Length header");
        }
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 3) {
                checker.reject("malformed", line);
                continue;
            }
            Integer max;
            try {
                max = Integer.valueOf(f[2].trim());
            } catch (NumberFormatException e) {
                checker.reject("max_length", line);
                continue;
            }
            checker.roa(f[0].trim(), f[1].trim(), max, f.length > 3 ? f[3].trim() : "", null);
        }
        return checker.result("csv", null);
    }

    private static Iterable<JsonNode> array(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(node)) {
            out.add(n.asText());
        }
        return out;
    }

    private static Long longOrNull(JsonNode n) {
        return n != null && n.canConvertToLong() ? n.asLong() : null;
    }

    private static Instant isoTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Base64.getUrlDecoder().decode(text);
        }
    }
}
