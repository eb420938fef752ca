package dev.tablevault.engine.store.rocks;

import java.io.IOException;
import java.nio.file.Path;

/** Test access to {@link WalScan}: where a log file's own records end. */
public final class WalProbe {
    private WalProbe() {
    }

    public static String dump(Path dbDir) throws IOException {
        StringBuilder b = new StringBuilder();
        WalScan.Result r = WalScan.scan(dbDir);
        r.batches().forEach(x -> b.append(x.file().getFileName()).append(" @").append(x.offset()).append("-")
                .append(x.end()).append(" seq ").append(x.sequence()).append("+").append(x.count()).append('\n'));
        r.stops().forEach(x -> b.append("stop ").append(x).append('\n'));
        b.append("mark ").append(DurableMark.read(dbDir));
        return b.toString();
    }

    public static long dataEnd(Path dbDir, Path log) throws IOException {
        return WalScan.scan(dbDir).batches().stream().filter(b -> b.file().equals(log))
                .mapToLong(WalScan.Batch::end).max().orElseThrow();
    }
}
