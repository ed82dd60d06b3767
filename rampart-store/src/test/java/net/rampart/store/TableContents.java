package net.rampart.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a database holds, table by table, for tests that compare two databases (a backup and its
 * restore): each table of the public schema with its row count and a checksum of its rows,
 * whatever order they are stored in.
 */
public final class TableContents {

    private TableContents() {
    }

    /** Table name to {@code "<rows> <md5 of the rows' md5s, sorted>"}. */
    public static Map<String, String> of(Connection db) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (String table : column(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            out.put(table, column(db, "SELECT count(*) || ' ' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY "
                    + "md5(t::text))), '') FROM public.\"" + table + "\" t").getFirst());
        }
        return out;
    }

    /** The first column of every row {@code sql} answers, as text. */
    public static List<String> column(Connection db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
