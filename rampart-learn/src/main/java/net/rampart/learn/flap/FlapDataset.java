package net.rampart.learn.flap;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.rampart.learn.features.FlapDamping;
import net.rampart.learn.features.RouteFeature;
import net.rampart.learn.features.RouteFeatureState;
import net.rampart.learn.features.SessionFeature;
import net.rampart.learn.features.SessionFeatureState;

/**
 * Labelled rows from a history replayed in time order: every {@code step} from {@code from} on,
 * each key (route or session) with an event in the last {@code activeWithin} gets a row of its
 * features at that moment, labelled by whether it flapped in the window after it
 * ({@link FlapDefinition}). Features and labels come from the same states that serve the feature
 * tables, so a model learns from exactly what it is later asked about.
 *
 * <p>A row's features use only events at or before its moment, and its label only the events
 * after; a moment is taken only when its whole label window lies before {@code to}. Keys quiet for
 * longer than {@code activeWithin} are left out of a moment: they are most routes of a table, and
 * nothing in their recent history speaks for or against a flap.
 *
 * @param <S> the per-key state: a route's or a session's
 */
public final class FlapDataset<S> {

    /** What a flap is: at least {@code minChanges} state changes within {@code window}. */
    public record FlapDefinition(Duration window, int minChanges) {
        public static final FlapDefinition DEFAULT = new FlapDefinition(Duration.ofHours(1), 3);

        public FlapDefinition {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("flap window must be positive: " + window);
            }
            if (minChanges < 1) {
                throw new IllegalArgumentException("a flap needs at least one state change, not " + minChanges);
            }
        }
    }

    /** How the dataset reads a state: its features at a time, and its newest event. */
    public interface StateFeatures<S> {
        void features(S state, long asOfMillis, double[] into);

        long lastEventMillis(S state);
    }

    private static final class Tracked<S> {
        final S state;
        /** State changes since the key was first seen. */
        long changes;

        Tracked(S state) {
            this.state = state;
        }
    }

    private record Pending<S>(Tracked<S> key, long changesAtMoment, float[] features) {
    }

    private record Moment<S>(long timeMillis, List<Pending<S>> rows) {
    }

    private final StateFeatures<S> reader;
    private final Supplier<S> newState;
    private final FlapDefinition flap;
    private final long stepMillis;
    private final long activeWithinMillis;
    private final long lastMomentMillis;
    private final int width;
    private final Map<Object, Tracked<S>> keys = new HashMap<>();
    private final Deque<Moment<S>> waitingForLabels = new ArrayDeque<>();
    private final LabelledRows.Builder rows;
    private final double[] scratch;
    private long nextMomentMillis;
    private long lastEventMillis = Long.MIN_VALUE;
    private long outOfOrder;

    /**
     * @param featureNames the names of the state's features, in order
     * @param from         the first moment
     * @param to           the end of the history replayed: the last moment is the last one whose label window ends by then
     */
    public FlapDataset(List<String> featureNames, StateFeatures<S> reader, Supplier<S> newState, FlapDefinition flap,
                       Duration step, Duration activeWithin, Instant from, Instant to) {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        this.reader = reader;
        this.newState = newState;
        this.flap = flap;
        this.stepMillis = step.toMillis();
        this.activeWithinMillis = activeWithin.toMillis();
        this.nextMomentMillis = from.toEpochMilli();
        this.lastMomentMillis = to.toEpochMilli() - flap.window().toMillis();
        this.width = featureNames.size();
        this.rows = LabelledRows.builder(featureNames, flap.window());
        this.scratch = new double[width];
    }

    /** Rows of routes: {@link RouteFeatureState}'s features, in {@link RouteFeature} order. */
    public static FlapDataset<RouteFeatureState> ofRoutes(FlapDamping damping, FlapDefinition flap, Duration step,
                                                         Duration activeWithin, Instant from, Instant to) {
        return new FlapDataset<>(RouteFeature.all().stream().map(RouteFeature::column).toList(),
                new StateFeatures<>() {
                    @Override
                    public void features(RouteFeatureState state, long asOfMillis, double[] into) {
                        state.features(asOfMillis, into, 0);
                    }

                    @Override
                    public long lastEventMillis(RouteFeatureState state) {
                        return state.lastEventMillis();
                    }
                }, () -> new RouteFeatureState(damping), flap, step, activeWithin, from, to);
    }

    /** Rows of BGP sessions: {@link SessionFeatureState}'s features, in {@link SessionFeature} order. */
    public static FlapDataset<SessionFeatureState> ofSessions(FlapDamping damping, FlapDefinition flap,
                                                             Duration step, Duration activeWithin, Instant from,
                                                             Instant to) {
        return new FlapDataset<>(SessionFeature.all().stream().map(SessionFeature::column).toList(),
                new StateFeatures<>() {
                    @Override
                    public void features(SessionFeatureState state, long asOfMillis, double[] into) {
                        state.features(asOfMillis, into, 0);
                    }

                    @Override
                    public long lastEventMillis(SessionFeatureState state) {
                        return state.lastEventMillis();
                    }
                }, () -> new SessionFeatureState(damping), flap, step, activeWithin, from, to);
    }

    /**
     * One event of {@code key} at {@code timeMillis}, applied to its state by {@code apply}, which
     * says whether it changed the state. Events come in time order; one that steps back in time
     * (a router's clock) is applied all the same, to the moments not taken yet, and counted
     * ({@link #outOfOrder()}).
     */
    public void event(Object key, long timeMillis, Predicate<S> apply) {
        long time = Math.max(timeMillis, lastEventMillis);
        if (time != timeMillis) {
            outOfOrder++;
        }
        advanceTo(time);
        lastEventMillis = time;
        Tracked<S> tracked = keys.computeIfAbsent(key, k -> new Tracked<>(newState.get()));
        if (apply.test(tracked.state)) {
            tracked.changes++;
        }
    }

    /**
     * Takes every moment before {@code timeMillis} and labels every one whose window ended
     * before it: events exactly at a moment belong to its features, exactly at a window's end
     * to its label.
     */
    private void advanceTo(long timeMillis) {
        while (!waitingForLabels.isEmpty()
                && waitingForLabels.peekFirst().timeMillis() + flap.window().toMillis() < timeMillis) {
            label(waitingForLabels.pollFirst());
        }
        while (nextMomentMillis < timeMillis && nextMomentMillis <= lastMomentMillis) {
            takeMoment(nextMomentMillis);
            nextMomentMillis += stepMillis;
            // A moment taken just now may already be past its window when events are sparse.
            while (!waitingForLabels.isEmpty()
                    && waitingForLabels.peekFirst().timeMillis() + flap.window().toMillis() < timeMillis) {
                label(waitingForLabels.pollFirst());
            }
        }
    }

    private void takeMoment(long moment) {
        List<Pending<S>> pending = new ArrayList<>();
        for (Tracked<S> t : keys.values()) {
            long last = reader.lastEventMillis(t.state);
            if (last > moment - activeWithinMillis && last <= moment) {
                reader.features(t.state, moment, scratch);
                float[] features = new float[width];
                for (int i = 0; i < width; i++) {
                    features[i] = (float) scratch[i];
                }
                pending.add(new Pending<>(t, t.changes, features));
            }
        }
        waitingForLabels.addLast(new Moment<>(moment, pending));
    }

    private void label(Moment<S> moment) {
        for (Pending<S> p : moment.rows()) {
            boolean flapped = p.key().changes - p.changesAtMoment() >= flap.minChanges();
            rows.add(p.features(), flapped, moment.timeMillis());
        }
    }

    /**
     * The rows of every moment whose label window ended by the end of the history ({@code to}).
     * Call once, after the last event.
     */
    public LabelledRows finish() {
        advanceTo(lastMomentMillis + flap.window().toMillis() + 1);
        return rows.build();
    }

    /** Events that stepped back in time. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Keys seen so far. */
    public int keys() {
        return keys.size();
    }
}
