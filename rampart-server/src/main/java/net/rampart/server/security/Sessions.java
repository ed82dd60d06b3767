package net.rampart.server.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sign-ins, held in memory: a pasted API token becomes a session whose random id
 * travels in an HttpOnly cookie. A session keeps its token's hash (never the secret), so that
 * every request checks the token is still active, and a CSRF token that every cookie-authenticated
 * write must echo in a header. The store is bounded: one token holds at most
 * {@link #PER_TOKEN} sessions (its oldest goes for a new one), so that signing in again and again
 * with one token cannot push other people's sessions out; when the whole store is full, expired
 * sessions go first, then the one closest to expiry.
 */
public final class Sessions {

    /** The cookie that carries a session id. */
    public static final String COOKIE = "rampart_session";
    /** The header a cookie-authenticated write carries the session's CSRF token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int SECRET_BYTES = 32;
    /** Sessions one token may hold at once: a browser each for a team sharing it, with room to spare. */
    static final int PER_TOKEN = 32;

    /** One sign-in. */
    public record Session(String id, String csrfToken, Principal principal, byte[] tokenHash, Instant expiresAt) {

        /** Whether {@code presented} is this session's CSRF token, compared in constant time. */
        public boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(presented.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    csrfToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private final Duration ttl;
    private final int capacity;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public Sessions(Duration ttl, int capacity, Clock clock) {
        if (ttl.isNegative() || ttl.isZero() || capacity <= 0) {
            throw new IllegalArgumentException("session lifetime and capacity must be positive");
        }
        this.ttl = ttl;
        this.capacity = capacity;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new session for a token that was just authenticated by its secret. */
    public synchronized Session create(Principal principal, String secret) {
        Instant now = clock.instant();
        List<Session> own = sessions.values().stream()
                .filter(s -> s.principal().tokenId().equals(principal.tokenId())).toList();
        if (own.size() >= PER_TOKEN) {
            own.stream().min(Comparator.comparing(Session::expiresAt)).ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        if (sessions.size() >= capacity) {
            sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
        }
        if (sessions.size() >= capacity) {
            sessions.values().stream().min(Comparator.comparing(Session::expiresAt))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session session = new Session(randomText(), randomText(), principal, ApiTokenSecret.hash(secret),
                now.plus(ttl));
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id; an expired one is forgotten and not returned. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (!session.expiresAt().isAfter(clock.instant())) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Signs a session out; false when there was none. */
    public boolean remove(String id) {
        return id != null && sessions.remove(id) != null;
    }

    /** Sessions held, live or expired but not yet evicted. */
    public int size() {
        return sessions.size();
    }

    private String randomText() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
