package dev.tablevault.engine;

import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Child-JVM main for {@link BoardTest}: {@code slow DIR BATCH STOP_AT} runs process {@code exec-board} on a vault
 * made by {@link OwnerChild#prepareExecute}, with a {@code slow} builder that takes about 2 ms a row (a slow
 * execution to watch), prints {@code AT <row>} on reaching STOP_AT and then blocks, so the parent can kill it.
 * {@code plain DIR} creates a vault with one table and prints {@code OK} and the tables.
 */
final class BoardChild {
    private BoardChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("plain")) {
            // Started without Chronicle's flags: the vault must work, board-less, with one warning.
            try (Vault v = TableVault.open(dir, VaultOptions.defaults().create(true))) {
                v.createTable("stories", dev.tablevault.api.TableOptions.defaults());
                System.out.println("OK " + v.tables());
            }
            return;
        }
        long stopAt = Long.parseLong(args[3]);
        CountDownLatch never = new CountDownLatch(1);
        RowBuilder slow = (ctx, row) -> {
            if (row == stopAt) {
                System.out.println("AT " + row);
                System.out.flush();
                never.await();
            }
            LockSupport.parkNanos(2_000_000);
            return List.of("v" + row);
        };
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
        try (Vault v = TableVault.open(dir, VaultOptions.defaults().builder("slow", slow))) {
            v.executeInstance("stories", ExecuteOptions.defaults().processId("exec-board").version("base")
                    .checkpointRows(Integer.parseInt(args[2])).checkpointMillis(3_600_000));
        }
    }
}
