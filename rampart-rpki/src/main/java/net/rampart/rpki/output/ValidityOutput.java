package net.rampart.rpki.output;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.rampart.rpki.OriginValidation;
import net.rampart.rpki.Vrp;

/**
 * An origin validation result as plain maps and lists, in the order the fields are written,
 * for any JSON mapper: Routinator's validity shape and Rampart's own.
 */
public final class ValidityOutput {

    private ValidityOutput() {
    }

    /**
     * Routinator's {@code /api/v1/validity} answer, field for field: {@code validated_route}
     * with the route (AS as {@code "AS65000"}) and its validity (state, {@code reason} only
     * when invalid, description, the VRPs by outcome with maximum lengths as text), then
     * {@code generatedTime}.
     */
    public static Map<String, Object> routinator(OriginValidation v, Instant generated) {
        Map<String, Object> vrps = new LinkedHashMap<>();
        vrps.put("matched", routinatorVrps(v.matched()));
        vrps.put("unmatched_as", routinatorVrps(v.unmatchedAs()));
        vrps.put("unmatched_length", routinatorVrps(v.unmatchedLength()));
        Map<String, Object> validity = new LinkedHashMap<>();
        validity.put("state", v.state().label());
        if (v.reason() != null) {
            validity.put("reason", v.reason());
        }
        validity.put("description", v.description());
        validity.put("VRPs", vrps);
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("origin_asn", "AS" + v.originAsn());
        route.put("prefix", v.prefix().toString());
        Map<String, Object> validated = new LinkedHashMap<>();
        validated.put("route", route);
        validated.put("validity", validity);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("validated_route", validated);
        body.put("generatedTime", generated.toString());
        return body;
    }

    private static List<Map<String, Object>> routinatorVrps(List<Vrp> vrps) {
        return vrps.stream().map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("asn", "AS" + v.asn());
            m.put("prefix", v.prefix().toString());
            m.put("max_length", Integer.toString(v.maxLength()));
            return m;
        }).toList();
    }

    /**
     * One result of Rampart's {@code /api/v1/validate}: prefix, AS as a number, state, reason
     * (null unless invalid) and the VRPs by outcome. A new map, which the caller may add to.
     */
    public static Map<String, Object> rampart(OriginValidation v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", v.prefix().toString());
        m.put("asn", v.originAsn());
        m.put("state", v.state().label());
        m.put("reason", v.reason());
        m.put("matched", v.matched().stream().map(ValidityOutput::vrp).toList());
        m.put("unmatched_as", v.unmatchedAs().stream().map(ValidityOutput::vrp).toList());
        m.put("unmatched_length", v.unmatchedLength().stream().map(ValidityOutput::vrp).toList());
        return m;
    }

    /**
     * A VRP as every {@code /api/v1} answer writes it: AS as a number, prefix, {@code max_length}.
     * A new map, which the caller may add to.
     */
    public static Map<String, Object> vrp(Vrp v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("asn", v.asn());
        m.put("prefix", v.prefix().toString());
        m.put("max_length", v.maxLength());
        return m;
    }
}
