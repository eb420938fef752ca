package dev.tablevault.engine.torture;

import dev.tablevault.api.ExecuteOptions;
import dev.tablevault.api.InstanceOptions;
import dev.tablevault.api.OpOptions;
import dev.tablevault.api.ReadOptions;
import dev.tablevault.api.StopOptions;
import dev.tablevault.api.TableOptions;
import dev.tablevault.api.TableVaultException;
import dev.tablevault.api.Vault;
import dev.tablevault.api.VerifyReport;
import dev.tablevault.api.WriteOptions;
import dev.tablevault.engine.torture.TortureModel.Paused;
import dev.tablevault.engine.torture.TortureOp.Outcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@link TortureOp} against a vault and says what happened. The model (guarded by its own monitor) is
 * only read: for the instance ids a call may have created, and for a resume, the paused call and its flag
 * file, which the resume deletes first so that the flaky builder lets it finish.
 */
final class TortureCalls {
    private final Vault v;
    private final TortureModel m;
    private final Path flags;

    TortureCalls(Vault v, TortureModel m, Path flags) {
        this.v = v;
        this.m = m;
        this.flags = flags;
    }

    Outcome run(TortureOp op) {
        try {
            return call(op);
        } catch (TableVaultException e) {
            return new Outcome("err", e.code().name());
        } catch (TortureSpecs.FlakyFailure e) {
            return new Outcome(op.kind().equals("executeInstance") && op.pid() == null ? "failed" : "paused", null);
        } catch (RuntimeException e) {
            return new Outcome("x", describe(e));
        }
    }

    static String describe(Throwable e) {
        return (e.getClass().getName() + ": " + e.getMessage()).replace('\n', ' ');
    }

    private Outcome call(TortureOp op) {
        String t = op.table();
        OpOptions o = OpOptions.defaults().processId(op.pid());
        switch (op.kind()) {
            case "createTable" -> v.createTable(t, TableOptions.defaults().multipleArtifacts(op.flag(1))
                    .processId(op.pid()));
            case "renameTable" -> v.renameTable(t, op.arg(1), o);
            case "deleteTable" -> v.deleteTable(t, o);
            case "createInstance" -> v.createInstance(t, InstanceOptions.defaults().version(op.arg(1))
                    .externalEdit(op.flag(2)).originId(op.opt(3)).processId(op.pid()));
            case "writeInstance" -> {
                v.writeInstance(t, TortureSpecs.written(Long.parseLong(op.arg(2)), Integer.parseInt(op.arg(3))),
                        WriteOptions.defaults().version(op.arg(1)).processId(op.pid()));
                return newInstance(t, op.arg(1));
            }
            case "deleteInstance" -> v.deleteInstance(t, op.arg(1), o);
            case "putBuilder" -> {
                String flag = TortureSpecs.flag(op.arg(3));
                if (flag != null) {
                    touch(flags.resolve(flag));
                }
                v.putBuilder(t, op.arg(1), TortureSpecs.spec(op.arg(2), op.arg(3)), o);
            }
            case "deleteBuilder" -> v.deleteBuilder(t, op.arg(1), op.arg(2), o);
            case "executeInstance" -> {
                execute(op);
                return newInstance(t, op.arg(1));
            }
            case "resume" -> {
                Paused p;
                String flag;
                synchronized (m) {
                    p = m.paused.get(op.arg(0));
                    flag = p == null ? null : m.flagOf(p.table(), p.version());
                }
                if (flag != null) {
                    delete(flags.resolve(flag));
                }
                if (p != null && op.flag(1)) {
                    execute(p.call());
                } else {
                    v.resumeProcess(op.arg(0));
                }
                return newInstance(p.table(), p.version());
            }
            case "stop" -> {
                Paused p;
                synchronized (m) {
                    p = m.paused.get(op.arg(0));
                }
                v.stopProcess(op.arg(0), StopOptions.defaults().materialize(op.flag(1)));
                return op.flag(1) ? newInstance(p.table(), p.version()) : Outcome.ok(null);
            }
            case "read" -> v.dataframe(t, ReadOptions.latest());
            case "verify" -> {
                VerifyReport r = v.verify();
                if (!r.ok()) {
                    return new Outcome("x", "verify() while operations run: " + r.errors());
                }
            }
            default -> throw new IllegalArgumentException("unknown operation " + op);
        }
        return Outcome.ok(null);
    }

    private void execute(TortureOp op) {
        v.executeInstance(op.arg(0), ExecuteOptions.defaults().version(op.arg(1))
                .checkpointRows(Integer.parseInt(op.arg(2))).checkpointMillis(3_600_000).force(op.flag(3))
                .processId(op.pid()));
    }

    /** The one instance of {@code version} the model does not know yet: what the call materialized. */
    private Outcome newInstance(String table, String version) {
        List<String> ids = new ArrayList<>(v.instances(table, version, false));
        synchronized (m) {
            ids.removeAll(m.tables.get(table).instances.keySet());
        }
        return ids.size() == 1 ? Outcome.ok(ids.get(0))
                : new Outcome("x", "expected one new instance of version " + version + " in " + table + ", found "
                        + ids);
    }

    private static void touch(Path f) {
        try {
            Files.createDirectories(f.getParent());
            if (!Files.exists(f)) {
                Files.createFile(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
