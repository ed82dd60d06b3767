package net.rampart.server.detect;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;

/**
 * {@code rampart_detect_alerts{type,state}}: how many alerts there are of each type in each
 * state, every combination present (at 0) so that a rate or an alert rule never sees a gap.
 * Counted from the alerts at each scrape: alerts are few, and the listeners do not hear an
 * ignored alert resolve, so a running count kept from them would drift.
 */
final class AlertGauges {

    private AlertGauges() {
    }

    static void register(Alerts alerts, MeterRegistry metrics) {
        for (AlertType type : AlertType.values()) {
            for (AlertState state : AlertState.values()) {
                Gauge.builder("rampart_detect_alerts", alerts, a -> a.all().stream()
                                .filter(alert -> alert.type() == type && alert.state() == state).count())
                        .tag("type", type.wireName()).tag("state", state.name().toLowerCase(Locale.ROOT))
                        .description("Alerts by type and state; resolved ones are kept until restart")
                        .register(metrics);
            }
        }
    }
}
