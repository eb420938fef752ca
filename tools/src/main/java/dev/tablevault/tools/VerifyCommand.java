package dev.tablevault.tools;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VerifyReport;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tv verify}: RocksDB checksums plus the engine's invariants. Prints every finding; exits with
 * {@code CORRUPTION}'s code when something is broken, 0 when only warnings (safe leftovers) remain.
 */
@Command(name = "verify", description = "Check the vault: RocksDB checksums and the engine's invariants."
        + " Exits non-zero (CORRUPTION) when an error is found; warnings name leftovers, such as folders no instance uses.")
final class VerifyCommand extends VaultCommand {
    @Override
    void execute() {
        VerifyReport r;
        try (Vault v = openReadOnly()) {
            r = v.verify();
        }
        List<String> lines = new ArrayList<>();
        r.errors().forEach(e -> lines.add("error: " + e));
        r.warnings().forEach(w -> lines.add("warning: " + w));
        if (r.ok()) {
            lines.add("ok: no errors" + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s)"));
        }
        print(Json.obj("ok", r.ok(), "errors", r.errors(), "warnings", r.warnings()), String.join("\n", lines));
        if (!r.ok()) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "vault " + vaultLocation() + " failed verification with "
                    + r.errors().size() + " error(s), listed above");
        }
    }
}
