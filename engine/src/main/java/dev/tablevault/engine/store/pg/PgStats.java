package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.store.Family;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** {@code verifyStorage}, {@code dataBytes} and {@code logBytes} of a {@link PgBackend}. */
final class PgStats {
    private PgStats() {
    }

    /**
     * Reads every value of every vault table ({@code tv_*}, TOAST included) so that damaged pages surface as
     * {@code CORRUPTION}; indexes are not checked (that needs the amcheck extension).
     */
    static void verify(PgReads latest) {
        for (Family f : Family.values()) {
            String table = PgReads.table(f);
            latest.query("verifying " + table, c -> {
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(md5(v)) FROM " + table)) {
                    return r.next();
                }
            });
        }
        List<String> others = latest.query("listing the vault's tables", c -> {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT tablename FROM pg_tables"
                    + " WHERE schemaname = current_schema() AND tablename LIKE 'tv\\_%' ORDER BY tablename")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        });
        for (Family f : Family.values()) {
            others.remove(PgReads.table(f));
        }
        for (String table : others) {
            latest.query("verifying " + table, c -> {
                try (Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT count(md5(t::text)) FROM " + table + " t")) {
                    return r.next();
                }
            });
        }
    }

    static long dataBytes(PgReads latest) {
        return latest.query("measuring the vault's tables", c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT sum(pg_total_relation_size(t))"
                    + " FROM unnest(array['tv_meta', 'tv_proc', 'tv_lockrecs', 'tv_data']::regclass[]) t")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /**
     * The server's WAL bytes ({@code pg_ls_waldir()}, the whole server's, not this vault's alone), or -1 where the
     * role may not read them (it needs {@code pg_monitor} or superuser).
     */
    static long logBytes(PgBackend backend) {
        Connection c = backend.connection();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()")) {
            r.next();
            long bytes = r.getLong(1);
            backend.release(c);
            return bytes;
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                backend.release(c);
                return -1;
            }
            backend.discard(c, e);
            throw PgErrors.of(e, backend.location(), "measuring the write-ahead log");
        }
    }
}
