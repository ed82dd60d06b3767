package net.rampart.wire;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: the one reader for settings, policy YAML and query
 * parameters, which each add their own bounds and name the field in their error messages.
 */
public final class DurationText {

    /** Up to 12 digits, so that even a count of days stays far inside what a Duration holds. */
    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");

    private static final String FORMS =
            "seconds (30), a number with a unit (500ms, 30s, 10m, 2h, 7d) or ISO 8601 (PT30S, P1D)";

    private DurationText() {
    }

    /**
     * Reads plain seconds ({@code 30}), a whole number with a unit ({@code 500ms}, {@code 30s},
     * {@code 10m}, {@code 2h}, {@code 7d}; any letter case) or ISO 8601 ({@code PT30S},
     * {@code P1D}, {@code PT0.5S}). Zero is a duration; a negative one is refused here, as every
     * reader before this one refused it, so no caller has to remember to.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Duration parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        Duration iso;
        try {
            iso = Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write " + FORMS);
        }
        if (iso.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is a negative duration");
        }
        return iso;
    }

    /** The shortest of the forms above that {@link #parse} reads back as the same duration. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
