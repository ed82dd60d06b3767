package net.rampart.server.backup;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.Page;
import net.rampart.server.http.RouteTable;
import net.rampart.store.backup.BackupException;
import net.rampart.store.backup.DatabaseBackups;

/**
 * {@code /api/v1/backups}: take a backup now, list those in the backup directory, download one.
 * Admin scope only: a backup holds every table, the tokens' hashes and the audit log among them.
 */
public final class BackupRoutes implements ApiRoutes {

    private final Backups backups;

    public BackupRoutes(Backups backups) {
        this.backups = backups;
    }

    @Override
    public void register(RouteTable routes) {
        routes.post("/api/v1/backups", this::take);
        routes.get("/api/v1/backups", this::list);
        routes.get("/api/v1/backups/{name}", this::download);
    }

    @Override
    public String openApiFragment() {
        return "openapi/backups.json";
    }

    private void take(Context ctx) {
        try {
            ctx.status(HttpStatus.CREATED).json(json(backups.take()));
        } catch (BackupException e) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiError("backup_failed", e.getMessage()));
        }
    }

    private void list(Context ctx) throws IOException {
        ctx.json(Page.of(ctx, backups.list().stream().map(BackupRoutes::json).toList()));
    }

    private void download(Context ctx) throws IOException {
        String name = ctx.pathParam("name");
        Optional<Path> file = backups.store().file(name);
        if (file.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("not_found", "no backup named " + name));
            return;
        }
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.header("Content-Length", Long.toString(Files.size(file.get())));
        ctx.result(Files.newInputStream(file.get()));
    }

    private static Map<String, Object> json(DatabaseBackups.Backup backup) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", backup.name());
        out.put("bytes", backup.bytes());
        out.put("created_at", backup.createdAt());
        return out;
    }
}
