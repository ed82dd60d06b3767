package net.rampart.detect.alert;

/**
 * One step of an alert's timeline.
 *
 * @param by   who made the change: a person for acknowledge and ignore, {@code detector} otherwise
 * @param note why, in words: the condition for an opening, the restoration notice for a resolution
 */
public record AlertChange(long timeMillis, AlertState state, String by, String note) {
}
