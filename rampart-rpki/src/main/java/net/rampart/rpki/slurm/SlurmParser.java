package net.rampart.rpki.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.Vrp;
import net.rampart.wire.Asn;
import net.rampart.wire.ip.IpPrefix;

/**
 * Reads a SLURM file strictly: a wrong member type, a prefix with host bits, a maximum
 * length out of range or an unknown version makes the whole file invalid. Arrays RFC 8416
 * requires but a file leaves out are read as empty, as other implementations do.
 */
public final class SlurmParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SlurmParser() {
    }

    /** @throws IOException saying what is wrong with the file */
    public static Slurm parse(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("SLURM must be a JSON object");
        }
        int version = root.path("slurmVersion").asInt(-1);
        if (version != 1 && version != 2) {
            throw new IOException("slurmVersion must be 1 or 2");
        }
        JsonNode filters = object(root, "validationOutputFilters");
        JsonNode assertions = object(root, "locallyAddedAssertions");
        try {
            List<Slurm.PrefixFilter> pf = new ArrayList<>();
            for (JsonNode n : array(filters, "prefixFilters")) {
                IpPrefix prefix = n.has("prefix") ? IpPrefix.parse(text(n, "prefix")) : null;
                Long asn = n.has("asn") ? asn(n.get("asn")) : null;
                if (prefix == null && asn == null) {
                    throw new IOException("a prefixFilter needs a prefix or an asn");
                }
                pf.add(new Slurm.PrefixFilter(prefix, asn, comment(n)));
            }
            List<Slurm.BgpsecFilter> bf = new ArrayList<>();
            for (JsonNode n : array(filters, "bgpsecFilters")) {
                Long asn = n.has("asn") ? asn(n.get("asn")) : null;
                byte[] ski = n.has("SKI") ? base64Url(text(n, "SKI")) : null;
                if (asn == null && ski == null) {
                    throw new IOException("a bgpsecFilter needs an asn or a SKI");
                }
                bf.add(new Slurm.BgpsecFilter(asn, ski, comment(n)));
            }
            List<Slurm.AspaFilter> af = new ArrayList<>();
            for (JsonNode n : array(filters, "aspaFilters")) {
                af.add(new Slurm.AspaFilter(asn(n.get("customerAsid")), comment(n)));
            }
            List<Slurm.PrefixAssertion> pa = new ArrayList<>();
            for (JsonNode n : array(assertions, "prefixAssertions")) {
                IpPrefix prefix = IpPrefix.parse(text(n, "prefix"));
                int max = n.has("maxPrefixLength") ? integer(n.get("maxPrefixLength")) : prefix.length();
                pa.add(new Slurm.PrefixAssertion(new Vrp(prefix, max, asn(n.get("asn"))), comment(n)));
            }
            List<Slurm.BgpsecAssertion> ba = new ArrayList<>();
            for (JsonNode n : array(assertions, "bgpsecAssertions")) {
                ba.add(new Slurm.BgpsecAssertion(new RouterKeyRecord(asn(n.get("asn")), base64Url(text(n, "SKI")),
                        Base64.getDecoder().decode(text(n, "routerPublicKey"))), comment(n)));
            }
            List<Slurm.AspaAssertion> aa = new ArrayList<>();
            for (JsonNode n : array(assertions, "aspaAssertions")) {
                JsonNode providers = n.has("providerSet") ? n.get("providerSet") : n.get("providers");
                if (providers == null || !providers.isArray()) {
                    throw new IOException("an aspaAssertion needs a providerSet array");
                }
                long[] p = new long[providers.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = asn(providers.get(i));
                }
                aa.add(new Slurm.AspaAssertion(new AspaRecord(asn(n.get("customerAsid")), p), comment(n)));
            }
            return new Slurm(pf, bf, af, pa, ba, aa);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static JsonNode object(JsonNode parent, String name) throws IOException {
        JsonNode n = parent.get(name);
        if (n == null) {
            return MAPPER.createObjectNode();
        }
        if (!n.isObject()) {
            throw new IOException(name + " must be an object");
        }
        return n;
    }

    private static Iterable<JsonNode> array(JsonNode parent, String name) throws IOException {
        JsonNode n = parent.get(name);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IOException(name + " must be an array");
        }
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw new IOException(name + " entries must be objects");
            }
        }
        return n;
    }

    private static String text(JsonNode n, String name) throws IOException {
        JsonNode v = n.get(name);
        if (v == null || !v.isTextual()) {
            throw new IOException(name + " must be a string");
        }
        return v.asText();
    }

    private static long asn(JsonNode n) throws IOException {
        if (n == null || !n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > Asn.MAX) {
            throw new IOException("asn must be a number in 0.." + Asn.MAX + ", not " + n);
        }
        return n.asLong();
    }

    private static int integer(JsonNode n) throws IOException {
        if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > 128) {
            throw new IOException("maxPrefixLength must be a number in 0..128");
        }
        return n.asInt();
    }

    private static String comment(JsonNode n) {
        return n.has("comment") ? n.get("comment").asText() : null;
    }

    private static byte[] base64Url(String s) throws IOException {
        try {
            return Base64.getUrlDecoder().decode(s.replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new IOException("SKI is not base64url: " + s, e);
        }
    }
}
