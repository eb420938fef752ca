package dev.tablevault.engine.data;

import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.store.Batch;
import dev.tablevault.engine.store.Store;

/** Writes of records to the {@code meta} family, shared by every write operation. */
public final class MetaWrites {
    private MetaWrites() {
    }

    /** Adds {@code record}, encoded, under {@code key} in {@code s}'s {@code meta} family to {@code b}. */
    public static void put(Store s, Batch b, byte[] key, Object record) {
        b.put(s.meta, key, Codec.encode(record));
    }
}
