package dev.tablevault.engine.process;

import dev.tablevault.api.LockMode;
import dev.tablevault.engine.store.Batch;

import java.util.List;

/**
 * One kind of write operation. The runner takes its locks, calls {@link #validate} under them, then
 * {@link #run}. A one-step operation puts all its changes in the final commit batch through {@link #apply};
 * multi-step ones override {@link #run} and checkpoint. Instances are used by one thread.
 */
public abstract class Op {
    /** A lock the operation needs. */
    public record LockReq(String resource, LockMode mode) {
    }

    /** What the live board shows an operation working on: a table and an instance version. */
    public record Target(String table, String version) {
    }

    private final String name;
    private final Object args;

    protected Op(String name, Object args) {
        this.name = name;
        this.args = args;
    }

    /** The operation name: {@code createTable}, {@code writeInstance}, ... */
    public final String name() {
        return name;
    }

    /** The arguments recorded in BEGIN; the digest covers their encoding. */
    protected final Object args() {
        return args;
    }

    /**
     * The table and version the board shows this operation working on, from its arguments alone (so a process
     * that does not run can show it too); null when it shows none.
     */
    public Target target() {
        return null;
    }

    /** One exclusive lock. */
    protected static List<LockReq> exclusive(String resource) {
        return List.of(new LockReq(resource, LockMode.EXCLUSIVE));
    }

    /** Locks to take, in order. May read the catalog (e.g. to resolve an origin). */
    protected abstract List<LockReq> locks(ProcessContext ctx);

    /**
     * Checks the arguments against the current state, under the locks; throws a TableVaultException. May take
     * further locks the checks reveal (an execution's dependencies).
     */
    protected abstract void validate(ProcessContext ctx) throws InterruptedException;

    /** The changes of a one-step operation, added to the commit batch. */
    protected void apply(ProcessContext ctx, Batch batch) {
        throw new UnsupportedOperationException(name() + " has no single step");
    }

    /** Runs the operation to its commit. */
    protected void run(ProcessContext ctx) throws InterruptedException {
        ctx.commit(b -> apply(ctx, b));
    }

    /** Adds what undoes this operation's staged effects (not its committed ones: it has none) to a batch. */
    protected void revert(ProcessContext ctx, Batch batch) {
    }

    /** True when the operation stages data while in SETUP; a restart reverts it if setup had not finished. */
    protected boolean stagesInSetup() {
        return false;
    }

    /**
     * Refuses, without changing the process, a resume this call cannot perform (e.g. data no longer at hand).
     */
    protected void checkResumable(ProcessContext ctx) {
    }

    /**
     * The builder code a resume of this persisted operation needs that this vault's options cannot supply, or
     * null; a host lacking it leaves an orphaned run to a host that has it ({@link Adoption}).
     */
    protected String missingCode(ProcessContext ctx) {
        return null;
    }

    /** True when {@code stopProcess(materialize)} can keep a partial result. */
    protected boolean canMaterialize() {
        return false;
    }

    /** Adds the materialization of the partial result as an unsuccessful instance. */
    protected void materializePartial(ProcessContext ctx, Batch batch) {
        throw new UnsupportedOperationException(name());
    }
}
