package net.rampart.mitigation.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttackEventParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rampart's clock: half an hour after the detector's time in {@link #valid()}. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T08:30:00Z"), ZoneOffset.UTC);

    private static ObjectNode valid() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon","victim_ip":"192.0.2.10",
                 "vector":"udp_flood","bps":1200000000,"pps":900000,"confidence":0.9,"protocol":"udp",
                 "top_dst_ports":[123,53,53],"action":"ban","event_id":"ev-1","raw_details":{"k":[1,2]}}
                """);
    }

    @Test
    void readsEveryField() throws Exception {
        AttackEvent e = AttackEventParser.parse(valid(), CLOCK);
        assertThat(e.eventId()).isEqualTo("ev-1");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
        assertThat(e.victimIp().getHostAddress()).isEqualTo("192.0.2.10");
        assertThat(e.vector()).isEqualTo(AttackVector.UDP_FLOOD);
        assertThat(e.bps().getAsLong()).isEqualTo(1_200_000_000L);
        assertThat(e.pps().getAsLong()).isEqualTo(900_000L);
        assertThat(e.confidence().getAsDouble()).isEqualTo(0.9);
        assertThat(e.protocol().getAsInt()).isEqualTo(17);
        assertThat(e.topDstPorts()).containsExactly(53, 123);
        assertThat(e.action()).isEqualTo(EventAction.BAN);
        assertThat(JSON.readTree(e.rawDetails())).isEqualTo(JSON.readTree("{\"k\":[1,2]}"));
    }

    @Test
    void optionalFieldsDefault() throws Exception {
        JsonNode body = JSON.readTree("""
                {"timestamp":"2026-11-22T09:00:00+01:00","source":"d","victim_ip":"2001:db8::1","vector":"syn_flood"}
                """);
        AttackEvent e = AttackEventParser.parse(body, CLOCK);
        assertThat(e.eventId()).isNotBlank();
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
        assertThat(e.action()).isEqualTo(EventAction.BAN);
        assertThat(e.protocol()).isEmpty();
        assertThat(e.effectiveProtocol().getAsInt()).isEqualTo(6);
        assertThat(e.topDstPorts()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "timestamp|\"yesterday\"",
            "timestamp|\"+99999-01-01T00:00:00Z\"",
            "timestamp|\"1999-12-31T23:59:59Z\"",
            "timestamp|\"2026-11-23T08:30:01Z\"",
            "source|\"\"",
            "victim_ip|\"example.com\"",
            "victim_ip|\"192.0.2.024\"",
            "victim_ip|\"::ffff:192.0.2.10\"",
            "vector|\"dns_amplification\"",
            "bps|-1",
            "pps|\"lots\"",
            "confidence|1.5",
            "protocol|300",
            "top_dst_ports|[1,2,3,4,5,6,7,8,9]",
            "top_dst_ports|[70000]",
            "action|\"block\"",
            "event_id|17",
    })
    void namesTheFieldAtFault(String field, String badValue) throws Exception {
        ObjectNode body = valid();
        body.set(field, JSON.readTree(badValue));
        assertThatThrownBy(() -> AttackEventParser.parse(body, CLOCK))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest
    @CsvSource({"timestamp", "source", "victim_ip", "vector"})
    void requiredFieldsAreRequired(String field) throws Exception {
        ObjectNode body = valid();
        body.remove(field);
        assertThatThrownBy(() -> AttackEventParser.parse(body, CLOCK))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    /**
     * Times from 2000-01-01 to one day after Rampart's clock are accepted, both ends included; a
     * day allows for a detector in the wrong time zone, more is a broken clock or a typo.
     */
    @ParameterizedTest
    @CsvSource({
            "2000-01-01T00:00:00Z, 2000-01-01T00:00:00Z",
            "2026-11-23T08:30:00Z, 2026-11-23T08:30:00Z",
            "2026-11-23T09:30:00+01:00, 2026-11-23T08:30:00Z",
    })
    void timestampsInsideTheWindowAreKept(String text, String expected) throws Exception {
        ObjectNode body = valid();
        body.put("timestamp", text);
        assertThat(AttackEventParser.parse(body, CLOCK).timestamp()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void aTimestampOutsideTheWindowNamesTheWindow() throws Exception {
        ObjectNode body = valid();
        body.put("timestamp", "+99999-01-01T00:00:00Z");
        assertThatThrownBy(() -> AttackEventParser.parse(body, CLOCK)).hasMessage("timestamp: '+99999-01-01T00:00:00Z'"
                + " is outside 2000-01-01T00:00:00Z to one day after Rampart's clock (2026-11-23T08:30:00Z)");
    }

    @Test
    void aNonCanonicalVictimIsRefusedNotRead() throws Exception {
        ObjectNode body = valid();
        body.put("victim_ip", "192.0.2.010");
        assertThatThrownBy(() -> AttackEventParser.parse(body, CLOCK))
                .hasMessage("victim_ip: '192.0.2.010' is not a canonical IPv4 address: octet '010' has a leading zero");
    }
}
