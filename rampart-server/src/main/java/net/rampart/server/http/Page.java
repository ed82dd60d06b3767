package net.rampart.server.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of a list answer: at most {@code limit} items from the position the cursor names,
 * how many matched in all, and the cursor of the next page ({@code null} on the last).
 */
public record Page<T>(List<T> items, long matched, String nextCursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** The page of {@code matched} (already filtered and in a stable order) that the request asks for. */
    public static <T> Page<T> of(Context ctx, List<T> matched) {
        int limit = limit(ctx);
        int offset = offset(ctx);
        int end = (int) Math.min((long) offset + limit, matched.size());
        List<T> items = offset >= matched.size() ? List.of() : matched.subList(offset, end);
        return new Page<>(List.copyOf(items), matched.size(), end < matched.size() ? cursor(end) : null);
    }

    /** A page someone else cut at {@code offset}, of {@code matched} in all. */
    public static <T> Page<T> cut(int offset, List<T> items, long matched) {
        long end = (long) offset + items.size();
        return new Page<>(List.copyOf(items), matched, end < matched ? cursor((int) end) : null);
    }

    /** The {@code limit} parameter: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    public static int limit(Context ctx) {
        String value = ctx.queryParam("limit");
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestResponse("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
    }

    /** Where the {@code cursor} parameter says the page starts; 0 when absent. */
    public static int offset(Context ctx) {
        String value = ctx.queryParam("cursor");
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
            if (decoded.startsWith("o:")) {
                int offset = Integer.parseInt(decoded.substring(2));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new BadRequestResponse("cursor '" + value + "' is not one this service handed out");
    }

    private static String cursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.US_ASCII));
    }
}
