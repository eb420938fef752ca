package dev.tablevault.engine.store.pg;

import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.KeyRange;

import java.util.List;

/** A {@link KeyRange} over a view, read in keyset pages that grow as the walk goes on. Holds no server cursor. */
final class PgKeyRange implements KeyRange {
    private final PgReads reads;
    private final Family family;
    private final byte[] to;
    private List<PgReads.Row> page;
    private int at;
    private int limit = PgReads.FIRST_PAGE;

    PgKeyRange(PgReads reads, Family family, byte[] from, byte[] to) {
        this.reads = reads;
        this.family = family;
        this.to = to;
        this.page = reads.page(family, from, true, to, false, limit);
    }

    @Override
    public boolean valid() {
        return at < page.size();
    }

    @Override
    public byte[] key() {
        return page.get(at).key();
    }

    @Override
    public byte[] value() {
        return page.get(at).value();
    }

    @Override
    public void next() {
        if (++at < page.size() || page.size() < limit) {
            return;
        }
        byte[] last = page.get(page.size() - 1).key();
        limit = PgReads.nextLimit(family, limit);
        page = reads.page(family, last, false, to, false, limit);
        at = 0;
    }

    @Override
    public void close() {
        page = List.of();
    }
}
