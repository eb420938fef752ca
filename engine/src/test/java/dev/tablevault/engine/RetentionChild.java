package dev.tablevault.engine;

import dev.tablevault.api.OpOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;
import dev.tablevault.engine.process.CrashPoints;

import java.nio.file.Path;

/**
 * Child-JVM main for {@link RetentionTest}: opens the vault keeping {@code keep} finished processes, arms a trim
 * crash point to halt the JVM, and creates and deletes tables until it halts, printing {@code done N} after each
 * operation N (from 0) returned. Arguments: vault dir, keep, crash point. Exits 3 if it never halted.
 */
final class RetentionChild {
    private RetentionChild() {
    }

    public static void main(String[] args) {
        try (Vault v = TableVault.open(Path.of(args[0]), VaultOptions.defaults().author("child")
                .keepFinishedProcesses(Integer.parseInt(args[1])))) {
            CrashPoints.arm(args[2], CrashPoints.Action.HALT);
            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) {
                    v.createTable("c" + i / 2, TableOptions.defaults());
                } else {
                    v.deleteTable("c" + i / 2, OpOptions.defaults());
                }
                System.out.println("done " + i);
                System.out.flush();
            }
        }
        System.exit(3);
    }
}
