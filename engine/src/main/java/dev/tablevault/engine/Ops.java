package dev.tablevault.engine;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.ExecutionListener;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Records;
import dev.tablevault.engine.exec.CallerCode;
import dev.tablevault.engine.exec.ExecuteInstance;
import dev.tablevault.engine.ops.InstanceOps;
import dev.tablevault.engine.ops.TableOps;
import dev.tablevault.engine.ops.WriteInstance;
import dev.tablevault.engine.process.Op;
import dev.tablevault.engine.process.StopOp;

/** Rebuilds an operation from the arguments its BEGIN entry recorded. */
final class Ops {
    private Ops() {
    }

    /** {@code listener} (may be null) is told of a rebuilt execution's progress. */
    static Op fromArgs(Object args, ExecutionListener listener, CallerCode caller) {
        if (args instanceof Records.CreateTableArgs a) {
            return new TableOps.CreateTable(a);
        } else if (args instanceof Records.RenameTableArgs a) {
            return new TableOps.RenameTable(a);
        } else if (args instanceof Records.DeleteTableArgs a) {
            return new TableOps.DeleteTable(a);
        } else if (args instanceof Records.CreateInstanceArgs a) {
            return new InstanceOps.CreateInstance(a);
        } else if (args instanceof Records.DeleteInstanceArgs a) {
            return new InstanceOps.DeleteInstance(a);
        } else if (args instanceof Records.PutBuilderArgs a) {
            return new InstanceOps.PutBuilder(a);
        } else if (args instanceof Records.DeleteBuilderArgs a) {
            return new InstanceOps.DeleteBuilder(a);
        } else if (args instanceof Records.WriteInstanceArgs a) {
            return new WriteInstance(a);
        } else if (args instanceof Records.ExecuteArgs a) {
            return new ExecuteInstance(a, listener, caller);
        } else if (args instanceof Records.StopArgs a) {
            return new StopOp(a);
        }
        throw new TvStorageException(ErrorCode.CORRUPTION, "process log BEGIN holds "
                + (args == null ? "nothing" : args.getClass().getSimpleName()) + ", not operation arguments;"
                + " run 'tv verify'");
    }
}
