package dev.tablevault.engine;

import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.remote.RemoteVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One vault, several OS processes ({@link SharingChild}): applications that open a vault another owns write
 * through it at the same time, and a {@code kill -9} of the owner while two of them write hands ownership to one
 * of them with no acknowledged write lost.
 */
class SharedVaultTest {
    @TempDir
    Path tmp;

    @Test
    void twoApplicationsWriteDifferentTablesAtOnce() throws Exception {
        Path dir = tmp.resolve("v");
        try (ChildJvm owner = ChildJvm.start(SharingChild.class, "own", dir.toString())) {
            owner.awaitLine("READY");
            try (ChildJvm a = ChildJvm.start(SharingChild.class, "client", dir.toString(), "a", "25");
                 ChildJvm b = ChildJvm.start(SharingChild.class, "client", dir.toString(), "b", "25")) {
                assertThat(a.waitExit()).as(a.output()).isZero();
                assertThat(b.waitExit()).as(b.output()).isZero();
                assertThat(acks(a)).hasSize(25);
                assertThat(acks(b)).hasSize(25);
                assertThat(a.output() + b.output()).doesNotContain("CHANGED", "OWNER");
            }
            owner.process().getOutputStream().close();
            assertThat(owner.waitExit()).as(owner.output()).isZero();
        }
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().readOnly(true))) {
            assertThat(v.tables()).hasSize(51);
            for (String p : List.of("a", "b")) {
                for (int k = 0; k < 25; k++) {
                    assertThat(v.dataframe(p + "_" + k, ReadOptions.latest()).rowCount()).isEqualTo(k + 1);
                }
            }
        }
    }

    @Test
    void killingTheOwnerWhileTwoProcessesWriteHandsOwnershipToOneOfThem() throws Exception {
        Path dir = tmp.resolve("v");
        try (ChildJvm owner = ChildJvm.start(SharingChild.class, "own", dir.toString())) {
            owner.awaitLine("READY");
            try (ChildJvm a = ChildJvm.start(SharingChild.class, "client", dir.toString(), "a");
                 ChildJvm b = ChildJvm.start(SharingChild.class, "client", dir.toString(), "b")) {
                awaitAcks(a, 0, 3);
                awaitAcks(b, 0, 3);
                owner.kill();
                int lastA = lastAck(a);
                int lastB = lastAck(b);
                awaitAcks(a, lastA + 1, 3); // three tables begun after the kill, so written through the new owner
                awaitAcks(b, lastB + 1, 3);
                long newOwner;
                try (Vault probe = TableVault.open(dir, VaultOptions.defaults())) {
                    newOwner = ((RemoteVault) probe).ownerPid();
                }
                assertThat(newOwner).isIn(a.process().pid(), b.process().pid());
                a.process().getOutputStream().close();
                b.process().getOutputStream().close();
                assertThat(a.waitExit()).as(a.output()).isZero();
                assertThat(b.waitExit()).as(b.output()).isZero();
                String both = a.output() + b.output();
                assertThat(both.lines().filter(l -> l.startsWith("OWNER")).count()).as(both).isBetween(1L, 2L);
                // each process saw at most one retriable error: the call in flight when the owner died
                assertThat(a.output().lines().filter(l -> l.startsWith("CHANGED")).count()).as(both).isLessThanOrEqualTo(1);
                assertThat(b.output().lines().filter(l -> l.startsWith("CHANGED")).count()).as(both).isLessThanOrEqualTo(1);
                try (Vault v = TableVault.open(dir, VaultOptions.defaults())) {
                    for (String table : concat(acks(a), acks(b))) {
                        int k = Integer.parseInt(table.substring(2));
                        assertThat(v.dataframe(table, ReadOptions.latest()).rowCount()).as(table).isEqualTo(k + 1);
                    }
                    assertThat(v.verify().errors()).isEmpty();
                }
            }
        }
    }

    private static List<String> concat(List<String> x, List<String> y) {
        List<String> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }

    /** Reads {@code child}'s output until it acknowledged {@code n} tables numbered {@code from} or more. */
    private static void awaitAcks(ChildJvm child, int from, int n) throws Exception {
        int seen = 0;
        while (seen < n) {
            String line = child.awaitLine("ACK ");
            if (Integer.parseInt(line.substring(line.indexOf('_') + 1)) >= from) {
                seen++;
            }
        }
    }

    private static int lastAck(ChildJvm child) {
        List<String> acks = acks(child);
        return Integer.parseInt(acks.get(acks.size() - 1).substring(2));
    }

    private static List<String> acks(ChildJvm child) {
        return child.output().lines().filter(l -> l.startsWith("ACK ")).map(l -> l.substring(4)).toList();
    }

}
