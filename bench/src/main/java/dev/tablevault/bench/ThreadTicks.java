package dev.tablevault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by group, from Linux's {@code /proc/self/task/<tid>/stat} (user + system clock
 * ticks): a thread's name with digits and trailing separators dropped, so {@code rocksdb:low3} and
 * {@code rocksdb:low0} count as {@code rocksdb:low}. Empty where {@code /proc} is missing. Threads that ended between
 * two reads lose their ticks, so compare reads around work whose threads outlive it.
 */
final class ThreadTicks {
    /** Clock ticks per second ({@code getconf CLK_TCK}; 100 on Linux/amd64). */
    static final int HZ = 100;

    private ThreadTicks() {
    }

    static Map<String, Long> read() {
        Map<String, Long> out = new TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    // fields after the name: state(0) ... utime(11) stime(12)
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    String group = stat.substring(open + 1, close).replaceAll("[0-9]+", "").replaceAll("[-_:# ]+$", "");
                    out.merge(group, ticks, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
