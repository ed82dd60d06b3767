package net.rampart.detect.monitor;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import net.rampart.detect.alert.AlertType;

/**
 * Where a group's alerts are sent: a webhook, which receives each alert that opens or resolves
 * as a JSON POST.
 *
 * @param types   the alert types it hears of; empty means every type
 * @param headers sent with each POST, such as an {@code Authorization} the receiver expects
 */
public record Channel(String name, URI url, Set<AlertType> types, Map<String, String> headers) {

    public Channel {
        types = Set.copyOf(types);
        headers = Map.copyOf(headers);
    }

    public boolean hears(AlertType type) {
        return types.isEmpty() || types.contains(type);
    }
}
