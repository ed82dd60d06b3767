package net.rampart.mitigation.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.rampart.config.YamlValidator;
import net.rampart.mitigation.bgp.SpeakerSettings;
import net.rampart.mitigation.bgp.SpeakerSettingsValidator;
import net.rampart.mitigation.bgp.SpeakerSettingsValidator.Setting;

/**
 * The inventory's {@code bgp} section: the same settings as the RAMPART_BGP_* variables, checked
 * by the same {@link SpeakerSettingsValidator}; this class only maps keys to settings and
 * problems to paths in the file.
 */
final class BgpSection {

    private static final Set<String> KEYS = Arrays.stream(Setting.values()).map(BgpSection::key)
            .collect(Collectors.toUnmodifiableSet());

    private BgpSection() {
    }

    /** The speaker's settings, or empty when the section has a problem (reported at its path). */
    static Optional<SpeakerSettings> read(JsonNode node, String at, YamlValidator yaml) {
        if (!node.isObject()) {
            yaml.problem(at, "expected a mapping");
            return Optional.empty();
        }
        yaml.checkKeys(node, at, KEYS);
        List<String> peers = new ArrayList<>();
        JsonNode list = node.path(key(Setting.PEERS));
        // Anything but a list reads as no peers, which the validator reports.
        if (list.isArray()) {
            list.forEach(peer -> peers.add(peer.asText("")));
        }
        JsonNode asn = node.get(key(Setting.ASN));
        if (asn != null && asn.isFloatingPointNumber()) {
            // Unquoted asdot is a YAML float: 1.10 arrives as 1.1, another ASN; the validator would never know.
            yaml.problem(YamlValidator.path(at, key(Setting.ASN)),
                    "YAML reads " + asn.asText() + " as a number; write asdot in quotes, e.g. '1.10'");
            return Optional.empty();
        }
        SpeakerSettingsValidator.Input input = new SpeakerSettingsValidator.Input(peers,
                value(node, Setting.ASN), value(node, Setting.ROUTER_ID), value(node, Setting.HOLD_TIME),
                value(node, Setting.GRACEFUL_RESTART_TIME), value(node, Setting.PASSIVE_PORT));
        return SpeakerSettingsValidator.validate(input, problem -> {
            String settingAt = YamlValidator.path(at, key(problem.setting()));
            yaml.problem(problem.peer().isPresent() ? settingAt + "[" + problem.peer().getAsInt() + "]" : settingAt,
                    problem.message());
        });
    }

    /** The key of each setting in the section. */
    private static String key(Setting setting) {
        return switch (setting) {
            case ASN -> "asn";
            case ROUTER_ID -> "router_id";
            case PEERS -> "peers";
            case HOLD_TIME -> "hold_time";
            case GRACEFUL_RESTART_TIME -> "graceful_restart_time";
            case PASSIVE_PORT -> "passive_port";
        };
    }

    private static Optional<String> value(JsonNode node, Setting setting) {
        JsonNode value = node.get(key(setting));
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
