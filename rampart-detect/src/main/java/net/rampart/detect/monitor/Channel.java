package net.rampart.detect.monitor;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import net.rampart.detect.alert.AlertType;

/**
 * Where a group's alerts are sent: a named channel of one {@link Kind}, which hears of each
 * alert of its {@code types} that opens or resolves.
 *
 * @param types the alert types it hears of; empty means every type
 * @param kind  how, and to where, it sends
 */
public record Channel(String name, Set<AlertType> types, Kind kind) {

    public Channel {
        types = Set.copyOf(types);
    }

    public boolean hears(AlertType type) {
        return types.isEmpty() || types.contains(type);
    }

    /** The {@code type:} of a channel in the monitors file, with the settings only that type has. */
    public sealed interface Kind permits Webhook, Slack {

        /** The name a monitors file gives the kind in {@code type:}. */
        String typeName();
    }

    /**
     * Rampart's own JSON, POSTed.
     *
     * @param headers sent with each POST, such as an {@code Authorization} the receiver expects
     */
    public record Webhook(URI url, Map<String, String> headers) implements Kind {

        public Webhook {
            headers = Map.copyOf(headers);
        }

        @Override
        public String typeName() {
            return "webhook";
        }
    }

    /** A Slack incoming webhook, whose URL is its secret. */
    public record Slack(URI url) implements Kind {

        @Override
        public String typeName() {
            return "slack";
        }
    }
}
