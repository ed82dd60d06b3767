package net.rampart.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import net.rampart.server.RampartService;
import org.junit.jupiter.api.Test;

class ApiTimeTest {
    private final ObjectMapper mapper = RampartService.jsonMapper();

    @Test
    void theApiMapperWritesEveryInstantWithExactlyMilliseconds() throws Exception {
        // Nanoseconds (the clock), microseconds (PostgreSQL) and whole seconds (the RIB) alike.
        assertThat(mapper.writeValueAsString(Instant.parse("2026-11-22T08:00:00.123456789Z")))
                .isEqualTo("\"2026-11-22T08:00:00.123Z\"");
        assertThat(mapper.writeValueAsString(Instant.parse("2026-11-22T08:00:00.654321Z")))
                .isEqualTo("\"2026-11-22T08:00:00.654Z\"");
        assertThat(mapper.writeValueAsString(Instant.parse("2026-11-22T08:00:00Z")))
                .isEqualTo("\"2026-11-22T08:00:00.000Z\"");
    }

    @Test
    void anInstantInAMapAsTheRoutesBuildTheirAnswersIsWrittenAlike() throws Exception {
        // Map<String, Object> answers (mitigations, tokens, RPKI state) find the serializer by the value's class.
        assertThat(mapper.writeValueAsString(Map.of("at", Instant.parse("2026-11-22T08:00:00.999999Z"))))
                .isEqualTo("{\"at\":\"2026-11-22T08:00:00.999Z\"}");
    }

    @Test
    void theDigitsAreCutNotRounded() {
        // Rounding up would show a time after the event, and a since= of it would leave the event out.
        assertThat(ApiTime.format(Instant.parse("2026-11-22T23:59:59.9999Z"))).isEqualTo("2026-11-22T23:59:59.999Z");
    }
}
