package net.rampart.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} checks: the database answers and every listener is bound. Each part
 * of the service adds its own named check as it starts. A check the service can serve through
 * (stale RPKI data, say) is degradable: it shows as degraded and leaves the service ready, so
 * that a load balancer does not take every area out of service for one of them.
 */
public final class Readiness {

    /** What one check says. */
    public enum State {
        UP, DEGRADED, DOWN;

        /** As shown in {@code /health/ready}: up, degraded or down. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Every check's state in the order the checks were added, and for each degraded one a line
     * saying why ({@code rpki_data: data 3h old, ...}).
     */
    public record Report(Map<String, State> checks, List<String> degraded) {
        /** Ready when there is a check and none is down. */
        public boolean ready() {
            return !checks.isEmpty() && !checks.containsValue(State.DOWN);
        }
    }

    private record Result(State state, String reason) {
        static final Result UP = new Result(State.UP, null);
        static final Result DOWN = new Result(State.DOWN, null);
    }

    private final Map<String, Supplier<Result>> checks = new LinkedHashMap<>();

    /** A check the service cannot serve without: false makes it down and the service not ready. */
    public synchronized void add(String name, BooleanSupplier check) {
        checks.put(name, () -> check.getAsBoolean() ? Result.UP : Result.DOWN);
    }

    /**
     * A check the service can serve through: while {@code problem} names one, the check is
     * degraded and the service stays ready; with {@code required}, it is down instead.
     */
    public synchronized void addDegradable(String name, Supplier<Optional<String>> problem, boolean required) {
        checks.put(name, () -> problem.get()
                .map(reason -> new Result(required ? State.DOWN : State.DEGRADED, reason))
                .orElse(Result.UP));
    }

    public synchronized Report evaluate() {
        Map<String, State> states = new LinkedHashMap<>();
        List<String> degraded = new ArrayList<>();
        checks.forEach((name, check) -> {
            Result result = safely(check);
            states.put(name, result.state());
            if (result.state() == State.DEGRADED) {
                degraded.add(name + ": " + result.reason());
            }
        });
        return new Report(states, degraded);
    }

    private static Result safely(Supplier<Result> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return Result.DOWN;
        }
    }
}
