package net.rampart.server.http;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One page of a list answer, the shape of every {@code /api/v1} list: at most {@code limit}
 * items from the position the cursor names, how many matched in all, and the cursor of the next
 * page ({@code null} on the last). docs/api.md describes it for clients.
 *
 * <p>A cursor is opaque to clients: base64url of either an offset ({@code o:120}), for lists cut
 * from a stable order, or a key ({@code k:<id>}), for lists paged by the last row seen (keyset
 * pagination over the database). Each list accepts only the kind it hands out, so a cursor from
 * another list, a forged one or garbage is a 400 naming {@code cursor}, never a silently empty
 * page.
 */
public record Page<T>(List<T> items, long matched, String nextCursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final String OFFSET = "o:";
    private static final String KEY = "k:";

    /** The page of {@code matched} (already filtered and in a stable order) that the request asks for. */
    public static <T> Page<T> of(Context ctx, List<T> matched) {
        int limit = limit(ctx);
        int offset = offset(ctx);
        int end = (int) Math.min((long) offset + limit, matched.size());
        List<T> items = offset >= matched.size() ? List.of() : matched.subList(offset, end);
        return new Page<>(List.copyOf(items), matched.size(), end < matched.size() ? encode(OFFSET + end) : null);
    }

    /** A page someone else cut at {@code offset}, of {@code matched} in all. */
    public static <T> Page<T> cut(int offset, List<T> items, long matched) {
        long end = (long) offset + items.size();
        return new Page<>(List.copyOf(items), matched, end < matched ? encode(OFFSET + end) : null);
    }

    /**
     * A page of a list paged by key, of {@code matched} in all.
     *
     * @param nextKey the key the next page starts after (the last item's), or null on the last page
     */
    public static <T> Page<T> keyed(List<T> items, long matched, String nextKey) {
        return new Page<>(List.copyOf(items), matched, nextKey == null ? null : encode(KEY + nextKey));
    }

    /** The request's {@code limit} parameter; see {@link #limit(String)}. */
    public static int limit(Context ctx) {
        return limit(ctx.queryParam("limit"));
    }

    /**
     * A {@code limit} parameter: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent or blank.
     *
     * @throws InvalidInputException naming {@code limit} for anything else
     */
    public static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, as any other out-of-range value
        }
        throw InvalidInputException.parameter("limit",
                "must be a whole number from 1 to " + MAX_LIMIT + ", not '" + text + "'");
    }

    /** Where the request's {@code cursor} parameter says an offset-paged list's page starts; see {@link #offset(String)}. */
    public static int offset(Context ctx) {
        return offset(ctx.queryParam("cursor"));
    }

    /**
     * Where a {@code cursor} of an offset-paged list says the page starts; 0 when absent or blank.
     *
     * @throws InvalidInputException naming {@code cursor} for one that is not an offset cursor this service hands out
     */
    public static int offset(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(decode(cursor, OFFSET));
            if (offset >= 0) {
                return offset;
            }
        } catch (IllegalArgumentException e) {
            // reported below: a cursor that does not decode is as foreign as one that decodes to nonsense
        }
        throw notHandedOut(cursor);
    }

    /** The key the request's {@code cursor} parameter says a key-paged list's page starts after; see {@link #key(String)}. */
    public static Optional<String> key(Context ctx) {
        return key(ctx.queryParam("cursor"));
    }

    /**
     * The key a {@code cursor} of a key-paged list says the page starts after; empty when absent or
     * blank. Whether a row has that key is the list's to check.
     *
     * @throws InvalidInputException naming {@code cursor} for one that is not a key cursor this service hands out
     */
    public static Optional<String> key(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return Optional.empty();
        }
        try {
            String key = decode(cursor, KEY);
            if (!key.isEmpty()) {
                return Optional.of(key);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw notHandedOut(cursor);
    }

    /** The refusal of a cursor this list did not hand out. */
    public static InvalidInputException notHandedOut(String cursor) {
        return InvalidInputException.parameter("cursor",
                "'" + cursor + "' is not a cursor this list handed out; start without one and follow next_cursor");
    }

    private static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** What follows {@code kind} in the decoded cursor; IllegalArgumentException when it is not base64url of that kind. */
    private static String decode(String cursor, String kind) {
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!decoded.startsWith(kind)) {
            throw new IllegalArgumentException("not a " + kind + " cursor");
        }
        return decoded.substring(kind.length());
    }
}
