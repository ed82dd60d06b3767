package net.rampart.server.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The shared list helper's parsing, without a running service: what every list accepts and refuses. */
class PageTest {

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOffsetCursorLeadsToWhereThePageEnded() {
        Page<String> first = Page.cut(0, List.of("a", "b", "c"), 10);

        assertThat(first.matched()).isEqualTo(10);
        assertThat(Page.offset(first.nextCursor())).isEqualTo(3);
        Page<String> second = Page.cut(Page.offset(first.nextCursor()), List.of("d", "e"), 10);
        assertThat(Page.offset(second.nextCursor())).isEqualTo(5);
    }

    @Test
    void theLastPageHasNoCursor() {
        assertThat(Page.cut(8, List.of("i", "j"), 10).nextCursor()).isNull();
        assertThat(Page.keyed(List.of("z"), 1, null).nextCursor()).isNull();
    }

    @Test
    void aCursorIsOpaque() {
        // Clients must not build or edit cursors: neither the offset nor the key shows in plain text.
        assertThat(Page.cut(0, List.of("a"), 2).nextCursor()).doesNotContain("1").matches("[A-Za-z0-9_-]+");
        assertThat(Page.keyed(List.of("a"), 2, "3f2b").nextCursor()).doesNotContain("3f2b").matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aKeyCursorRoundTripsItsKey() {
        String key = "6f1c2a9e-0b7d-4c55-9a51-0d3e8f2b7a10";

        assertThat(Page.key(Page.keyed(List.of("x"), 5, key).nextCursor())).contains(key);
    }

    @Test
    void noCursorIsTheFirstPage() {
        assertThat(Page.offset((String) null)).isZero();
        assertThat(Page.offset(" ")).isZero();
        assertThat(Page.key((String) null)).isEqualTo(Optional.empty());
        assertThat(Page.key("")).isEqualTo(Optional.empty());
    }

    /** Garbage, an offset list's cursor edited to point before the start or past int, a list's cursor of the other kind. */
    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "!!!!", "5", "bzotMQ", "bzo5OTk5OTk5OTk5OQ", "bzp4"})
    void anOffsetListRefusesACursorItDidNotHandOut(String cursor) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> Page.offset(cursor));

        assertThat(e).as("cursor %s", cursor).isNotNull();
        assertThat(e.error()).isEqualTo("invalid_parameter");
        assertThat(e.field()).isEqualTo("cursor");
        assertThat(e.getMessage()).startsWith("cursor: ");
    }

    @Test
    void eachKindOfListRefusesTheOtherKindsCursor() {
        String offsetCursor = Page.cut(0, List.of("a"), 2).nextCursor();
        String keyCursor = Page.keyed(List.of("a"), 2, "k1").nextCursor();

        assertThat(catchThrowableOfType(InvalidInputException.class, () -> Page.key(offsetCursor)).field())
                .isEqualTo("cursor");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> Page.offset(keyCursor)).field())
                .isEqualTo("cursor");
        // A key cursor must carry a key: "k:" alone names no row.
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> Page.key(base64("k:"))).field())
                .isEqualTo("cursor");
    }

    @Test
    void limitDefaultsAndTakesTheWholeRange() {
        assertThat(Page.limit((String) null)).isEqualTo(Page.DEFAULT_LIMIT).isEqualTo(100);
        assertThat(Page.limit("")).isEqualTo(Page.DEFAULT_LIMIT);
        assertThat(Page.limit("1")).isEqualTo(1);
        assertThat(Page.limit("1000")).isEqualTo(Page.MAX_LIMIT).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1001", "10000", "2147483648", "1e3", "abc", "12.5"})
    void limitOutsideOneToTheMaximumIsRefusedNamingIt(String limit) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> Page.limit(limit));

        assertThat(e).as("limit %s", limit).isNotNull();
        assertThat(e.error()).isEqualTo("invalid_parameter");
        assertThat(e.field()).isEqualTo("limit");
        assertThat(e.getMessage()).isEqualTo("limit: must be a whole number from 1 to 1000, not '" + limit + "'");
    }

    @Test
    void aRefusalIsAnsweredAsAnApiErrorNamingTheParameter() {
        ApiError error = catchThrowableOfType(InvalidInputException.class, () -> Page.limit("0")).toApiError();

        assertThat(error.error()).isEqualTo("invalid_parameter");
        assertThat(error.field()).isEqualTo("limit");
        assertThat(error.detail()).startsWith("limit: ");
        assertThat(error.guardrail()).isNull();
    }
}
