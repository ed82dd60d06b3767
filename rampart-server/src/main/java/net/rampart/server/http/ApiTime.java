package net.rampart.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * Every time in an API answer: UTC ISO 8601 with exactly three fractional digits, milliseconds,
 * such as {@code 2026-11-22T08:00:00.000Z}. Sources differ in precision (the RIB keeps seconds,
 * PostgreSQL microseconds, the clock nanoseconds); one fixed form lets a client compare and parse
 * times from every endpoint alike. Finer digits are cut, not rounded, so that a time shown is never
 * later than the event and can be passed back as a {@code since} that includes it.
 */
public final class ApiTime {

    /** {@code appendInstant(3)} always writes three digits, zeros included, and truncates the rest. */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private ApiTime() {
    }

    public static String format(Instant time) {
        return FORMAT.format(time);
    }

    /**
     * Jackson serializes Instants in this form; registered after JavaTimeModule, whose Instant
     * serializer would keep every digit the value has.
     */
    public static SimpleModule module() {
        return new SimpleModule("api-time").addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(format(value));
            }
        });
    }
}
