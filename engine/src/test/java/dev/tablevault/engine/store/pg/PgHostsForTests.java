package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.store.Backend;

/** Reaches into a shared vault's backend for engine tests: its host lease, renewed now instead of by the heartbeat. */
public final class PgHostsForTests {
    private PgHostsForTests() {
    }

    /** Renews the lease of {@code backend} (a {@link PgBackend} with a host registered) once, now. */
    public static void renew(Backend backend) {
        ((PgBackend) backend).lease().renew();
    }
}
