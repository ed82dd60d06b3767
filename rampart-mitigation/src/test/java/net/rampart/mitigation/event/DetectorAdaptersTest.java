package net.rampart.mitigation.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorAdaptersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void fastNetMonBanAndUnbanOfOneAttackAreDistinctEvents() throws Exception {
        String ban = """
                {"ip":"192.0.2.10","action":"ban","alert_scope":"host",
                 "attack_details":{"attack_uuid":"5f4c","attack_type":"syn_flood","attack_protocol":"tcp",
                  "total_incoming_traffic_bits":800000000,"total_incoming_pps":1500000,"attack_direction":"incoming"}}
                """;
        AttackEvent b = FastNetMonNotification.parse(JSON.readTree(ban), CLOCK);
        assertThat(b.source()).isEqualTo("fastnetmon");
        assertThat(b.vector()).isEqualTo(AttackVector.SYN_FLOOD);
        assertThat(b.protocol().getAsInt()).isEqualTo(6);
        assertThat(b.bps().getAsLong()).isEqualTo(800_000_000L);
        assertThat(b.pps().getAsLong()).isEqualTo(1_500_000L);
        assertThat(b.action()).isEqualTo(EventAction.BAN);
        AttackEvent u = FastNetMonNotification.parse(JSON.readTree(ban.replace("\"ban\"", "\"unban\"")), CLOCK);
        assertThat(u.action()).isEqualTo(EventAction.UNBAN);
        assertThat(u.eventId()).isNotEqualTo(b.eventId());
    }

    @Test
    void fastNetMonBytesAreConvertedAndUnknownTypesKept() throws Exception {
        AttackEvent e = FastNetMonNotification.parse(JSON.readTree("""
                {"ip":"2001:db8::5","action":"partial_block",
                 "attack_details":{"attack_type":"ip_fragmentation_flood","total_incoming_traffic":1000}}
                """), CLOCK);
        assertThat(e.vector()).isEqualTo(AttackVector.UNKNOWN);
        assertThat(e.bps().getAsLong()).isEqualTo(8000L);
        assertThat(e.action()).isEqualTo(EventAction.BAN);
        assertThatThrownBy(() -> FastNetMonNotification.parse(JSON.readTree("{\"ip\":\"x\",\"action\":\"ban\"}"),
                CLOCK)).isInstanceOfSatisfying(InvalidEventException.class, x -> assertThat(x.field()).isEqualTo("ip"));
    }

    @Test
    void alertmanagerFiringAndResolvedAlerts() throws Exception {
        List<AttackEvent> events = AlertmanagerWebhook.parse(JSON.readTree("""
                {"version":"4","status":"firing","receiver":"rampart","alerts":[
                  {"status":"firing","labels":{"alertname":"UdpFlood","victim_ip":"192.0.2.20","vector":"udp_flood",
                   "confidence":"0.95"},"annotations":{"bps":"2.5e9"},"startsAt":"2026-11-22T07:59:00Z",
                   "fingerprint":"abc"},
                  {"status":"resolved","labels":{"victim_ip":"192.0.2.21"},"startsAt":"2026-11-22T07:50:00Z",
                   "endsAt":"2026-11-22T07:58:00Z","fingerprint":"def"}]}
                """), CLOCK);
        assertThat(events).hasSize(2);
        AttackEvent firing = events.get(0);
        assertThat(firing.action()).isEqualTo(EventAction.BAN);
        assertThat(firing.vector()).isEqualTo(AttackVector.UDP_FLOOD);
        assertThat(firing.confidence().getAsDouble()).isEqualTo(0.95);
        assertThat(firing.bps().getAsLong()).isEqualTo(2_500_000_000L);
        assertThat(firing.timestamp()).isEqualTo(Instant.parse("2026-11-22T07:59:00Z"));
        assertThat(events.get(1).action()).isEqualTo(EventAction.UNBAN);
        assertThat(events.get(1).vector()).isEqualTo(AttackVector.UNKNOWN);
    }

    @Test
    void alertmanagerAlertWithoutVictimNamesTheLabel() {
        assertThatThrownBy(() -> AlertmanagerWebhook.parse(JSON.readTree("""
                {"alerts":[{"status":"firing","labels":{"alertname":"x"}}]}
                """), CLOCK)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.field()).isEqualTo("alerts[0].labels.victim_ip"));
    }

    /** An alert's start time is the event's time, held to the same window as /api/v1/events. */
    @Test
    void alertmanagerStartTimeOutsideTheWindowNamesTheAlert() {
        assertThatThrownBy(() -> AlertmanagerWebhook.parse(JSON.readTree("""
                {"alerts":[{"status":"firing","labels":{"victim_ip":"192.0.2.20"},"startsAt":"2026-11-22T07:59:00Z"},
                           {"status":"firing","labels":{"victim_ip":"192.0.2.21"},"startsAt":"1970-01-01T00:00:00Z"}]}
                """), CLOCK)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.field()).isEqualTo("alerts[1].startsAt"));
    }
}
