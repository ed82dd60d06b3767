package net.rampart.rpki.source;

import java.io.IOException;
import java.time.Instant;

/** One place VRPs come from: an HTTP export, a local file or an upstream RTR cache. */
public interface VrpSource {

    /** The source as configured, for logs, metrics and the API. */
    String name();

    /**
     * Fetches and parses the source.
     *
     * @throws IOException when the source cannot be read or its content is not VRP data
     */
    SourceData fetch(Instant now) throws IOException;

    /**
     * Parses {@code RAMPART_RPKI_SOURCES}: comma-separated {@code http://} or
     * {@code https://} URLs, {@code file:} paths and {@code rtr://host:port} caches.
     *
     * @throws IllegalArgumentException naming the entry that is not a source
     */
    static java.util.List<VrpSource> parseList(String list, java.time.Duration timeout) {
        java.util.List<VrpSource> out = new java.util.ArrayList<>();
        for (String raw : list.split(",")) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue;
            }
            String lower = spec.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                out.add(new HttpVrpSource(java.net.URI.create(spec), timeout));
            } else if (lower.startsWith("file:")) {
                String path = spec.substring("file:".length());
                if (path.startsWith("//")) {
                    path = java.net.URI.create(spec).getPath();
                }
                if (path.isEmpty()) {
                    throw new IllegalArgumentException("empty file path in '" + spec + "'");
                }
                out.add(new FileVrpSource(java.nio.file.Path.of(path)));
            } else if (lower.startsWith("rtr://")) {
                java.net.URI uri = java.net.URI.create(spec);
                if (uri.getHost() == null || uri.getPort() <= 0) {
                    throw new IllegalArgumentException("'" + spec + "' needs rtr://host:port");
                }
                out.add(new RtrVrpSource(uri.getHost(), uri.getPort(), timeout));
            } else {
                throw new IllegalArgumentException(
                        "'" + spec + "' is not an http(s):// URL, a file: path or an rtr://host:port cache");
            }
        }
        return out;
    }
}
