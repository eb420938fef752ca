package dev.tablevault.engine.store.pg;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PgClusterTest {
    @Test
    void givesEachCallerAnEmptyDatabaseWithDurableCommits() throws Exception {
        PgCluster pg = PgCluster.shared();
        String a = pg.database("cluster test");
        String b = pg.database("cluster test");
        assertThat(a).isNotEqualTo(b);
        try (Connection c = DriverManager.getConnection(a); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k bytea PRIMARY KEY)");
            try (ResultSet r = s.executeQuery("SHOW fsync")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("on");
            }
        }
        try (Connection c = DriverManager.getConnection(b); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'")) {
            r.next();
            assertThat(r.getInt(1)).isZero();
        }
    }
}
