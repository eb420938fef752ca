package dev.tablevault.engine.data;

import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Family;

/** Writes of records to the {@code meta} family, shared by every write operation. */
public final class MetaWrites {
    private MetaWrites() {
    }

    /** Adds {@code record}, encoded, under {@code key} in {@code s}'s {@code meta} family to {@code b}. */
    public static void put(Backend s, Batch b, byte[] key, Object record) {
        b.put(Family.META, key, Codec.encode(record));
    }
}
