package dev.tablevault.engine;

import dev.tablevault.api.Durability;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ProcessInfo;
import dev.tablevault.api.ProcessStatus;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.VaultStats;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.engine.codec.Codec;
import dev.tablevault.engine.codec.Records.ArtifactSums;
import dev.tablevault.engine.codec.Records.ExecProgress;
import dev.tablevault.engine.codec.Records.InstanceRecord;
import dev.tablevault.engine.codec.Records.LockRecord;
import dev.tablevault.engine.codec.Records.LogEntry;
import dev.tablevault.engine.codec.Records.LogKind;
import dev.tablevault.engine.codec.Records.ProcessRecord;
import dev.tablevault.engine.codec.Records.TableRecord;
import dev.tablevault.engine.codec.Records.TrimRecord;
import dev.tablevault.engine.codec.Records.VaultRecord;
import dev.tablevault.engine.codec.Records.WriteProgress;
import dev.tablevault.engine.data.Artifacts;
import dev.tablevault.engine.process.Retention;
import dev.tablevault.engine.store.Backend;
import dev.tablevault.engine.store.Family;
import dev.tablevault.engine.store.Keys;
import dev.tablevault.engine.store.ReadView;
import dev.tablevault.engine.store.rocks.RocksBackend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code Vault.verify()} and {@code Vault.stats()}: read-only passes over one snapshot of the catalog, the
 * process records and the cell keys, plus the artifact folders on disk (verify reads every artifact file
 * against its recorded CRC32C). Stateless. About 400 lines: each invariant is a short check of its own over
 * the same snapshot, and splitting them would pass that snapshot around for no reader's gain.
 */
final class Verify {
    private Verify() {
    }

    /** The catalog, active process records and locks of one snapshot. */
    private record Snapshot(Map<String, TableRecord> tables, Map<String, InstanceRecord> instances,
                            List<String[]> builderKeys, Map<String, ProcessRecord> active, List<LockRecord> locks) {
        static Snapshot read(ReadView v) {
            Map<String, TableRecord> tables = new LinkedHashMap<>();
            v.scan(Family.META, Keys.prefix("T"), (k, val) -> {
                TableRecord t = Codec.decode(val, TableRecord.class, "table");
                tables.put(t.name(), t);
                return true;
            });
            Map<String, InstanceRecord> instances = new LinkedHashMap<>();
            v.scan(Family.META, Keys.prefix("I"), (k, val) -> {
                InstanceRecord r = Codec.decode(val, InstanceRecord.class, "instance");
                instances.put(r.table() + "/" + r.id(), r);
                return true;
            });
            List<String[]> builders = new ArrayList<>();
            v.scan(Family.META, Keys.prefix("B"), (k, val) -> builders.add(Keys.parts(k)));
            Map<String, ProcessRecord> active = new LinkedHashMap<>();
            v.scan(Family.PROC, Keys.prefix("P"), (k, val) -> {
                ProcessRecord p = Codec.decode(val, ProcessRecord.class, "process");
                active.put(p.id(), p);
                return true;
            });
            List<LockRecord> locks = new ArrayList<>();
            v.scan(Family.LOCKS, new byte[0], (k, val) -> locks.add(Codec.decode(val, LockRecord.class, "lock")));
            return new Snapshot(tables, instances, builders, active, locks);
        }

        /**
         * Instance keys that cells or artifacts may sit under: those of instance records, and those of the
         * active processes' last checkpoints (staged rows not yet materialized).
         */
        Set<Long> usedKeys(ReadView v) {
            Set<Long> used = new HashSet<>();
            for (InstanceRecord r : instances.values()) {
                used.add(r.key());
                used.addAll(r.columnKeys());
            }
            for (String pid : active.keySet()) {
                Object[] last = new Object[1];
                v.scan(Family.PROC, Keys.prefix("L", pid), (k, val) -> {
                    LogEntry e = Codec.decode(val, LogEntry.class, "log of " + pid);
                    if (e.is(LogKind.CHECKPOINT)) {
                        last[0] = e.payload();
                    }
                    return true;
                });
                if (last[0] instanceof WriteProgress w) {
                    used.add(w.instanceKey());
                } else if (last[0] instanceof ExecProgress x) {
                    used.add(x.instanceKey());
                }
            }
            return used;
        }
    }

    static VerifyReport verify(VaultImpl vault) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Backend store = vault.store();
        try {
            store.verifyStorage();
        } catch (TvStorageException e) {
            errors.add("checksums: " + e.getMessage());
        }
        List<String> found = new ArrayList<>();
        Facts facts = invariants(store, found);
        if (facts != null && !found.isEmpty() && store.readOnly() && store instanceof RocksBackend rocks) {
            // A read-only RocksDB handle opened while the owner flushed may hold a state no single moment had; an
            // invariant broken on disk is broken again on a fresh view, a race is not.
            List<String> again = new ArrayList<>();
            try (Backend fresh = RocksBackend.open(rocks.dir(), false, true, store.durability(), 0, "")) {
                invariants(fresh, again);
            }
            found.retainAll(again);
        }
        errors.addAll(found);
        if (facts == null) {
            return new VerifyReport(errors, warnings);
        }
        checkCrashedHolders(vault.processes().activeInfos(), facts.snapshot().locks(), warnings);
        checkFolders(vault, facts.snapshot(), facts.used(), warnings);
        checkArtifacts(vault, facts.snapshot(), facts.sums(), errors, warnings);
        return new VerifyReport(errors, warnings);
    }

    /** A crashed process keeps its locks until it is resumed or stopped: a warning names it and both ways. */
    private static void checkCrashedHolders(Map<String, ProcessInfo> active, List<LockRecord> locks,
                                            List<String> warnings) {
        Map<String, List<String>> held = new LinkedHashMap<>();
        locks.forEach(l -> held.computeIfAbsent(l.processId(), k -> new ArrayList<>()).add(l.resource()));
        held.forEach((pid, resources) -> {
            ProcessInfo p = active.get(pid);
            if (p != null && p.status() == ProcessStatus.CRASHED) {
                warnings.add("process " + pid + " (" + p.operation() + ") crashed (its runner, OS process "
                        + p.runnerPid() + ", is gone) and holds " + resources.size() + " lock(s): "
                        + String.join(", ", resources) + "; release them by resuming it (tv resume " + pid
                        + ", or resumeProcess) or stopping it (tv stop " + pid + " [--materialize], or stopProcess)");
            }
        });
    }

    /** What the invariants were checked on, for the checks of files that follow. */
    private record Facts(Snapshot snapshot, Set<Long> used, Map<Long, ArtifactSums> sums) {
    }

    /**
     * Checks the engine's invariants over one snapshot of {@code store}, adding what is broken to {@code errors};
     * null when the records themselves do not read (the error says why).
     */
    private static Facts invariants(Backend store, List<String> errors) {
        Snapshot s;
        Set<Long> used;
        List<Long> cellKeys;
        Map<Long, ArtifactSums> sums = new LinkedHashMap<>();
        try (ReadView v = store.view()) {
            s = Snapshot.read(v);
            used = s.usedKeys(v);
            cellKeys = v.cellInstanceKeys();
            v.scan(Family.META, Keys.prefix("A"), (k, val) -> {
                String key = Keys.parts(k)[1];
                ArtifactSums a = Codec.decode(val, ArtifactSums.class, "artifact checksums of instance key " + key);
                try {
                    sums.put(Long.parseLong(key), a);
                } catch (NumberFormatException e) {
                    errors.add("artifact checksums under '" + key + "', which is no instance key");
                }
                return true;
            });
            for (String pid : s.active().keySet()) {
                if (v.get(Family.PROC, Keys.logEntry(pid, 0)) == null) {
                    errors.add("process " + pid + " is active but its log has no BEGIN entry");
                }
                if (v.get(Family.PROC, Keys.finished(pid)) != null) {
                    errors.add("process " + pid + " is both active and finished");
                }
            }
        } catch (TvStorageException e) {
            if (e.code() != ErrorCode.CORRUPTION) {
                throw e;
            }
            // Records that do not read leave nothing to check the invariants on; the report says why.
            errors.add("records: " + e.getMessage());
            return null;
        }
        checkCatalog(s, errors);
        for (LockRecord l : s.locks()) {
            if (!s.active().containsKey(l.processId())) {
                errors.add("lock " + l.resource() + " (" + l.mode() + ") is held by process " + l.processId()
                        + ", which is not active");
            }
        }
        for (long k : cellKeys) {
            if (!used.contains(k)) {
                errors.add("cells under instance key " + k + " belong to no instance and no active process");
            }
        }
        return new Facts(s, used, sums);
    }

    /**
     * Every artifact file against the size and CRC32C its instance's materialization recorded: a changed,
     * shrunk, grown or missing file is an error naming table, instance and file, a file nothing recorded a
     * warning. Checksums of no instance are an error; the folder of a materialized instance without checksums
     * (materialized by an engine that recorded none) is a warning. The files are read after the snapshot, so a
     * finding counts only while the checksums are still there: a deletion drops them before the folder.
     */
    private static void checkArtifacts(VaultImpl vault, Snapshot s, Map<Long, ArtifactSums> sums,
                                       List<String> errors, List<String> warnings) {
        Map<Long, InstanceRecord> byKey = new HashMap<>();
        for (InstanceRecord r : s.instances().values()) {
            if (r.key() != 0) {
                byKey.put(r.key(), r);
            }
        }
        Backend store = vault.store();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        for (Map.Entry<Long, ArtifactSums> e : sums.entrySet()) {
            long key = e.getKey();
            InstanceRecord r = byKey.get(key);
            if (r == null) {
                errors.add("artifact checksums under instance key " + key + " belong to no instance");
                continue;
            }
            List<String> bad = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            checkFiles(Artifacts.folder(vault.artifactHome(), key), e.getValue(), "table '" + r.table() + "' instance " + r.id(),
                    buf, bad, extra);
            if ((!bad.isEmpty() || !extra.isEmpty()) && store.get(Family.META, Artifacts.sumsKey(key)) != null) {
                errors.addAll(bad);
                warnings.addAll(extra);
            }
        }
        for (InstanceRecord r : byKey.values()) {
            Path dir = Artifacts.folder(vault.artifactHome(), r.key());
            if (!r.temporary() && !sums.containsKey(r.key()) && Files.isDirectory(dir)) {
                warnings.add("artifact folder " + dir + " of table '" + r.table() + "' instance " + r.id() + " has"
                        + " no recorded checksums (materialized by an engine that recorded none); its files are not"
                        + " verified");
            }
        }
    }

    /**
     * Adds what is wrong in folder {@code dir} of instance {@code who} to {@code bad}, and files nothing
     * recorded to {@code extra}.
     */
    private static void checkFiles(Path dir, ArtifactSums sums, String who, ByteBuffer buf, List<String> bad,
                                   List<String> extra) {
        for (int i = 0; i < sums.paths().size(); i++) {
            String rel = sums.paths().get(i);
            Path f = dir.resolve(rel);
            String file = who + ": artifact file " + rel + " (" + f + ")";
            long was = sums.sizes().get(i);
            try {
                if (!Files.isRegularFile(f)) {
                    bad.add(file + " is missing");
                    continue;
                }
                long size = Files.size(f);
                if (size != was) {
                    bad.add(file + " is " + size + " bytes, " + (size < was ? "truncated from " : "grown from ")
                            + was + " when it was published");
                    continue;
                }
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    Artifacts.Sum now = Artifacts.sum(ch, buf);
                    if (now.size() != was || now.crc32c() != sums.crc32c().get(i)) {
                        bad.add(file + " changed since it was published (CRC32C " + String.format("%08x",
                                now.crc32c()) + ", recorded " + String.format("%08x", sums.crc32c().get(i)) + ")");
                    }
                }
            } catch (IOException e) {
                bad.add(file + " cannot be read: " + e);
            }
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<String> recorded = new HashSet<>(sums.paths());
        try {
            for (Path f : Artifacts.tree(dir)) {
                String rel = Artifacts.relative(dir, f);
                if (Files.isRegularFile(f) && !recorded.contains(rel)) {
                    extra.add(who + ": artifact file " + rel + " (" + f + ") was not there when the instance was"
                            + " published; it is not verified");
                }
            }
        } catch (IOException e) {
            bad.add(who + ": cannot list its artifact folder " + dir + ": " + e);
        }
    }

    private static void checkCatalog(Snapshot s, List<String> errors) {
        for (InstanceRecord r : s.instances().values()) {
            if (!s.tables().containsKey(r.table())) {
                errors.add("instance " + r.id() + " belongs to table '" + r.table() + "', which does not exist");
            }
        }
        for (String[] b : s.builderKeys()) {
            if (!s.tables().containsKey(b[1])) {
                errors.add("builder " + b[3] + " of version " + b[2] + " belongs to table '" + b[1]
                        + "', which does not exist");
            }
        }
        for (TableRecord t : s.tables().values()) {
            if (t.artifactInstance() == null) {
                continue;
            }
            InstanceRecord r = s.instances().get(t.name() + "/" + t.artifactInstance());
            if (r == null || r.temporary() || !r.success()) {
                errors.add("table '" + t.name() + "' names " + t.artifactInstance() + " as its artifact instance,"
                        + " which is " + (r == null ? "missing" : "not a successful materialized instance"));
            }
        }
    }

    /** Artifact and staging folders that nothing uses: what a crash between a commit and its cleanup leaves. */
    private static void checkFolders(VaultImpl vault, Snapshot s, Set<Long> used, List<String> warnings) {
        Path root = vault.artifactHome().resolve("artifacts");
        // Never "safe to delete": a folder no record names may hold the only files of an instance whose record
        // was lost, and whether one was lost is not knowable from here (after a recovery it is recorded).
        List<String> reports = RecoveryReports.list(vault.dir());
        String advice = reports.isEmpty() ? "a crash between a commit and its cleanup leaves such folders; delete it"
                + " once you know its files are not needed"
                : "the vault lost writes (see " + String.join(", ", reports) + "): it may hold the files of a lost"
                + " instance; keep it until you have checked";
        for (Path f : list(root)) {
            String name = f.getFileName().toString();
            if (name.equals("temp")) {
                for (Path table : list(f)) {
                    for (Path temp : list(table)) {
                        InstanceRecord r = s.instances().get(table.getFileName() + "/" + temp.getFileName());
                        if (r == null || !r.temporary() || !r.externalEdit()) {
                            warnings.add("staging folder " + temp + " belongs to no external-edit temporary"
                                    + " instance; " + advice);
                        }
                    }
                }
            } else if (!name.matches("\\d+") || !used.contains(Long.parseLong(name))) {
                warnings.add("artifact folder " + f + " belongs to no instance; " + advice);
            }
        }
    }

    static VaultStats stats(VaultImpl vault) {
        Backend store = vault.store();
        Snapshot s;
        int format;
        long[] finished = new long[1];
        try (ReadView v = store.view()) {
            s = Snapshot.read(v);
            format = Codec.decode(v.get(Family.META, Keys.vault()), VaultRecord.class, "vault").formatVersion();
            v.scan(Family.PROC, Keys.prefix("H"), (k, val) -> {
                finished[0]++;
                return true;
            });
        }
        long temporary = s.instances().values().stream().filter(InstanceRecord::temporary).count();
        Durability durability = vault.options().durability();
        if (vault.options().readOnly()) {
            Durability owner = TableVault.ownerDurability(vault.dir());
            durability = owner == null ? durability : owner;
        }
        TrimRecord trim = Retention.read(store);
        String retention = !vault.options().readOnly() ? Retention.describe(vault.options().keepFinishedProcesses(),
                vault.options().keepFinishedFor() == null ? -1 : vault.options().keepFinishedFor().toMillis())
                : trim == null ? null : Retention.describe(trim.keepFinished(), trim.keepForMillis());
        return new VaultStats(durability, format, s.tables().size(),
                s.instances().size() - temporary, temporary, s.active().size(), finished[0], s.locks().size(),
                store.dataBytes(), store.logBytes(), bytesUnder(vault.artifactHome().resolve("artifacts")),
                trim == null ? 0 : trim.trimmed(), trim == null ? null : Instant.ofEpochMilli(trim.trimmedBefore()),
                retention, store.kind(), store.sharedOwners() ? store.location() : vault.dir().toString());
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot list " + dir + ": " + e, e);
        }
    }

    private static long bytesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            long total = 0;
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot measure " + dir + ": " + e, e);
        }
    }
}
