package net.rampart.mitigation.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttackEventParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode valid() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon","victim_ip":"192.0.2.10",
                 "vector":"udp_flood","bps":1200000000,"pps":900000,"confidence":0.9,"protocol":"udp",
                 "top_dst_ports":[123,53,53],"action":"ban","event_id":"ev-1","raw_details":{"k":[1,2]}}
                """);
    }

    @Test
    void readsEveryField() throws Exception {
        AttackEvent e = AttackEventParser.parse(valid());
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
        AttackEvent e = AttackEventParser.parse(body);
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
            "source|\"\"",
            "victim_ip|\"example.com\"",
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
        assertThatThrownBy(() -> AttackEventParser.parse(body))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest
    @CsvSource({"timestamp", "source", "victim_ip", "vector"})
    void requiredFieldsAreRequired(String field) throws Exception {
        ObjectNode body = valid();
        body.remove(field);
        assertThatThrownBy(() -> AttackEventParser.parse(body))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
