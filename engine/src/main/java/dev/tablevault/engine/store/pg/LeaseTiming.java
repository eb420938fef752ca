package dev.tablevault.engine.store.pg;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;

import java.time.Duration;

/**
 * How long a host's lease lasts ({@code ttl}, timed by the database clock), how often the host renews it, and the
 * self-fencing {@code margin}: the host stops committing at (start of its last successful renewal) + ttl − margin,
 * so that it has stopped before the database considers the lease over even if its clock runs up to margin/ttl
 * slower than the database's. Renewals must come well inside that window.
 */
record LeaseTiming(Duration ttl, Duration renewEvery, Duration margin) {
    /** TTL 10 s, renewal every 3 s, margin 2 s. */
    static final LeaseTiming DEFAULT = of(Duration.ofSeconds(10), Duration.ofSeconds(3));

    LeaseTiming {
        if (ttl.isNegative() || ttl.isZero() || renewEvery.isNegative() || renewEvery.isZero() || margin.isNegative()
                || renewEvery.compareTo(ttl.minus(margin)) >= 0) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "lease timing ttl " + ttl + ", renewal every "
                    + renewEvery + ", margin " + margin + " is unusable: all must be positive and the renewal"
                    + " interval shorter than ttl - margin, or the host would stop committing between two renewals");
        }
    }

    /** {@code ttl} and {@code renewEvery} with the default margin, a fifth of the ttl. */
    static LeaseTiming of(Duration ttl, Duration renewEvery) {
        return new LeaseTiming(ttl, renewEvery, ttl.dividedBy(5));
    }

    /** How long after the start of a successful renewal the host may still commit, in nanoseconds. */
    long commitWindowNanos() {
        return ttl.minus(margin).toNanos();
    }
}
