package dev.tablevault.engine;

import dev.tablevault.api.Durability;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultOptions;

import java.nio.file.Path;

/**
 * Child-JVM main for {@link WalLossTest}: {@code DIR DURABILITY N} opens the vault, creates tables c0..c(N-1),
 * prints {@code DONE} and waits to be killed.
 */
final class WalLossChild {
    private WalLossChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Vault v = TableVault.open(Path.of(args[0]),
                VaultOptions.defaults().durability(Durability.valueOf(args[1])))) {
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                v.createTable("c" + i, TableOptions.defaults());
            }
            System.out.println("DONE");
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
