package net.rampart.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code /health/ready} checks: the database answers and every listener is bound. Each part
 * of the service adds its own named check as it starts.
 */
public final class Readiness {

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    public synchronized void add(String name, BooleanSupplier check) {
        checks.put(name, check);
    }

    /** Every check's current answer, in the order they were added. */
    public synchronized Map<String, Boolean> evaluate() {
        Map<String, Boolean> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> results.put(name, safely(check)));
        return results;
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
