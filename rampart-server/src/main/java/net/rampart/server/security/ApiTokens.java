package net.rampart.server.security;

import net.rampart.store.auth.PostgresApiTokens;
import net.rampart.store.auth.PostgresApiTokens.StoredToken;
import net.rampart.store.DatabaseErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates, checks and revokes API tokens. A checked token is remembered for a few seconds so
 * that a request costs no database round trip; revoking through this instance forgets it at
 * once, and another instance sharing the database stops accepting it within {@link #REMEMBER}.
 */
public final class ApiTokens {

    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
    static final Duration REMEMBER = Duration.ofSeconds(10);
    /** How long past {@link #REMEMBER} a token is still taken while the database cannot be reached. */
    static final Duration STALE_WHILE_DOWN = Duration.ofHours(1);
    private static final Duration MARK_USED_EVERY = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 10_000;

    private record Remembered(Principal principal, long untilNanos) {
    }

    private final PostgresApiTokens store;
    private final Clock clock;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    private final Map<String, Long> lastMarkedNanos = new ConcurrentHashMap<>();

    public ApiTokens(PostgresApiTokens store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new token; its secret is in the result and nowhere else. */
    public ApiTokenSecret create(String name, Scope scope, String createdBy) throws SQLException {
        ApiTokenSecret secret = ApiTokenSecret.generate();
        store.insert(secret.id(), name, scope.label(), secret.hash(), createdBy);
        log.atInfo().addKeyValue("event", "token_created").addKeyValue("token_id", secret.id())
                .addKeyValue("name", name).addKeyValue("scope", scope.label()).addKeyValue("by", createdBy)
                .log("API token created");
        return secret;
    }

    /** The principal of an active token, or empty for anything else. */
    public Optional<Principal> authenticate(String secret) throws SQLException {
        if (!ApiTokenSecret.looksLikeSecret(secret)) {
            return Optional.empty();
        }
        return authenticateHash(ApiTokenSecret.hash(secret));
    }

    /**
     * The principal of the active token with this hash, or empty: how a dashboard session, which
     * keeps the hash and never the secret, checks that its token was not revoked since sign-in.
     */
    Optional<Principal> authenticateHash(byte[] hash) throws SQLException {
        String key = HexFormat.of().formatHex(hash);
        long now = System.nanoTime();
        Remembered r = remembered.get(key);
        if (r != null && now - r.untilNanos() < 0) {
            markUsed(r.principal(), now);
            return Optional.of(r.principal());
        }
        Optional<StoredToken> stored;
        try {
            stored = store.findActive(hash);
        } catch (SQLException e) {
            // With the database away, what it said last stands for a while: reads the service
            // answers from memory (the RIB, the VRPs) keep working for the tokens in use.
            if (r != null && DatabaseErrors.unavailable(e) && now - r.untilNanos() < STALE_WHILE_DOWN.toNanos()) {
                return Optional.of(r.principal());
            }
            throw e;
        }
        if (stored.isEmpty()) {
            remembered.remove(key);
            return Optional.empty();
        }
        StoredToken t = stored.get();
        Principal principal = new Principal(t.id(), t.name(), Scope.parse(t.scope()));
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(key, new Remembered(principal, now + REMEMBER.toNanos()));
        markUsed(principal, now);
        return Optional.of(principal);
    }

    /** Notes when a token was last used, at most once a minute; a database away delays the note, not the request. */
    private void markUsed(Principal principal, long now) {
        Long last = lastMarkedNanos.get(principal.tokenId());
        if (last == null || now - last > MARK_USED_EVERY.toNanos()) {
            lastMarkedNanos.put(principal.tokenId(), now);
            try {
                store.markUsed(principal.tokenId(), clock.instant());
            } catch (SQLException e) {
                lastMarkedNanos.remove(principal.tokenId());
                log.atDebug().addKeyValue("event", "token_use_not_noted").addKeyValue("token_id", principal.tokenId())
                        .log("the token's last use could not be written: {}", e.getMessage());
            }
        }
    }

    public List<StoredToken> list() throws SQLException {
        return store.list();
    }

    /** Revokes an active token; false when there is none with that id. */
    public boolean revoke(String id, String revokedBy) throws SQLException {
        boolean revoked = store.revoke(id, revokedBy);
        remembered.values().removeIf(r -> r.principal().tokenId().equals(id));
        if (revoked) {
            log.atInfo().addKeyValue("event", "token_revoked").addKeyValue("token_id", id)
                    .addKeyValue("by", revokedBy).log("API token revoked");
        }
        return revoked;
    }

    public boolean hasActiveAdmin() throws SQLException {
        return store.hasActive(Scope.ADMIN.label());
    }
}
