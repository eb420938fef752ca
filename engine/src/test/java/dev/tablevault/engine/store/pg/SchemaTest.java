package dev.tablevault.engine.store.pg;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TableVaultException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations: applied once, in order, by whichever of several openers comes first; newer schemas refused. */
final class SchemaTest {
    private static List<String> rows(String url, String query) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
        return out;
    }

    private static void sql(String url, String statement) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    @Test
    void aFreshDatabaseGetsEveryVersionOnceAndReopeningSkipsThem() {
        String url = PgCluster.shared().database("schema_fresh");
        assertThat(Schema.known()).isGreaterThanOrEqualTo(2); // V1 (families, hosts, runs), V2 (lock rows)
        PgBackend.open(url, true, false, Durability.SYNC).close();
        assertThat(rows(url, "SELECT version FROM tv_schema ORDER BY version")).containsExactlyElementsOf(
                IntStream.rangeClosed(1, Schema.known()).mapToObj(Integer::toString).toList());
        List<String> first = rows(url, "SELECT version || ' ' || applied FROM tv_schema ORDER BY version");
        assertThat(rows(url, "SELECT string_agg(name, ',' ORDER BY name) FROM tv_mutex")).containsExactly("gc,waits");
        PgBackend.open(url, false, false, Durability.SYNC).close();
        assertThat(rows(url, "SELECT version || ' ' || applied FROM tv_schema ORDER BY version"))
                .isEqualTo(first);
    }

    @Test
    void aDatabaseWithoutAVaultIsNotFoundUnlessCreating() {
        String url = PgCluster.shared().database("schema_absent");
        for (boolean readOnly : new boolean[] {false, true}) {
            assertThatThrownBy(() -> PgBackend.open(url, false, readOnly, Durability.SYNC))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining(url);
        }
        assertThat(rows(url, "SELECT to_regclass('tv_schema')::text")).containsOnlyNulls();
    }

    @Test
    void aNewerSchemaIsRefusedNamingBothVersions() {
        String url = PgCluster.shared().database("schema_newer");
        PgBackend.open(url, true, false, Durability.SYNC).close();
        int newer = Schema.known() + 5;
        sql(url, "INSERT INTO tv_schema (version) VALUES (" + newer + ")");
        for (boolean readOnly : new boolean[] {false, true}) {
            assertThatThrownBy(() -> PgBackend.open(url, false, readOnly, Durability.SYNC))
                    .isInstanceOfSatisfying(TableVaultException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT))
                    .hasMessageContaining("version " + newer)
                    .hasMessageContaining("this engine's " + Schema.known());
        }
    }

    @Test
    void concurrentMigratorsApplyEachVersionOnce() throws Exception {
        String url = PgCluster.shared().database("schema_race");
        int openers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    PgBackend.open(url, true, false, Durability.SYNC).close();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows(url, "SELECT version FROM tv_schema ORDER BY version")).containsExactlyElementsOf(
                IntStream.rangeClosed(1, Schema.known()).mapToObj(Integer::toString).toList());
        assertThat(rows(url, "SELECT count(*) FROM tv_mutex")).containsExactly("2");
    }
}
