package net.rampart.detect.monitor;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A rule every AS path of a monitored prefix must follow, as in BGPalerter's path monitor. The
 * regexes are matched (with {@code find}, anywhere) against the path as text, ASNs in decimal
 * separated by one space, origin last: {@code "64500 64501 64502"}. Lengths count every ASN of
 * the path, prepends included.
 *
 * @param match    a path this finds is an alert
 * @param notMatch a path this does not find is an alert
 */
public record PathRule(Optional<Pattern> match, Optional<Pattern> notMatch, OptionalInt minLength,
                       OptionalInt maxLength) {

    /** Why the path breaks this rule, or empty when it follows it. */
    public Optional<String> violation(String pathText, int length) {
        if (match.isPresent() && match.get().matcher(pathText).find()) {
            return Optional.of("path matches '" + match.get().pattern() + "'");
        }
        if (notMatch.isPresent() && !notMatch.get().matcher(pathText).find()) {
            return Optional.of("path does not match '" + notMatch.get().pattern() + "'");
        }
        if (minLength.isPresent() && length < minLength.getAsInt()) {
            return Optional.of("path length " + length + " is below " + minLength.getAsInt());
        }
        if (maxLength.isPresent() && length > maxLength.getAsInt()) {
            return Optional.of("path length " + length + " is above " + maxLength.getAsInt());
        }
        return Optional.empty();
    }
}
