package dev.tablevault.api;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Vault#verify()} found. An error breaks a checksum or an engine invariant (a record pointing at
 * nothing, a lock without its process, cells no instance owns); a warning is a leftover a crash may leave
 * behind (an artifact folder no instance uses); check before removing it. Each entry names what it is about.
 *
 * @param errors   broken checksums and invariants
 * @param warnings harmless leftovers
 */
public record VerifyReport(List<String> errors, List<String> warnings) {
    public VerifyReport {
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    }

    /** True when nothing is broken (warnings may remain). */
    public boolean ok() {
        return errors.isEmpty();
    }
}
