package net.rampart.server.dashboard;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.RouteTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files, plain HTML, CSS and ES modules from the jar's {@code dashboard/} folder:
 * the page at {@code /}, everything else under {@code /ui/}. They are explicit routes rather than
 * Javalin static files because the API guard sees a static file's path as "*", which no public
 * rule matches. A file name is checked against a strict pattern before it is looked up, so no
 * path outside the folder can be named. Browsers revalidate each file by its ETag, so a new
 * version is seen at once and an unchanged one costs a 304.
 */
public final class DashboardFiles implements ApiRoutes {

    private static final String FOLDER = "dashboard/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    /**
     * Scripts, styles, images and API calls from this origin only, nothing inline, no frames: a
     * script injected through data shown on a page has nowhere to run.
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private record File(byte[] bytes, String type, String etag) {
    }

    /** Files read once; only files that exist, so names asked for at random do not fill it. */
    private final Map<String, File> files = new ConcurrentHashMap<>();

    public DashboardFiles() {
        if (file("index.html").isEmpty()) {
            throw new IllegalStateException(FOLDER + "index.html is not on the classpath");
        }
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/", ctx -> serve(ctx, "index.html"));
        routes.get("/ui/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
        routes.get("/ui/pages/{file}", ctx -> serve(ctx, "pages/" + ctx.pathParam("file")));
    }

    @Override
    public String openApiFragment() {
        return "openapi/dashboard-files.json";
    }

    private void serve(Context ctx, String name) {
        String base = name.startsWith("pages/") ? name.substring("pages/".length()) : name;
        Optional<File> file = NAME.matcher(base).matches() ? file(name) : Optional.empty();
        if (file.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("not_found", "the dashboard has no file " + name));
            return;
        }
        File f = file.get();
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", f.etag());
        if (f.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(f.type()).result(f.bytes());
    }

    private Optional<File> file(String name) {
        File known = files.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<File> read = read(name);
        read.ifPresent(f -> files.put(name, f));
        return read;
    }

    private static Optional<File> read(String name) {
        try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
            return Optional.of(new File(bytes, TYPES.get(extension), etag));
        } catch (IOException e) {
            throw new UncheckedIOException(FOLDER + name + " cannot be read", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
