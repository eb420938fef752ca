package dev.tablevault.engine.exec;

import dev.tablevault.api.Builder;
import dev.tablevault.api.BuildContext;
import dev.tablevault.api.RowBuilder;
import dev.tablevault.engine.runner.RunnerId;

import java.util.List;
import java.util.Map;

/**
 * Builder code of the OS process that asked for an execution when that process is not the vault's owner: the
 * owner runs the execution (plan, checkpoints, locks) and calls this code back in its caller. A code name the
 * caller registered runs there; any other is the owner's. An execution that uses the caller's code is run by the
 * caller ({@link #runner()} is saved as its runner).
 */
public interface CallerCode {
    /** The caller's code of name {@code code}, or null when it has none (the owner's is used). */
    Builder builder(String code);

    /** The caller's OS process, recorded as the runner of an execution that uses its code. */
    RunnerId runner();

    /**
     * A row-wise builder that runs elsewhere, so it is given many rows per call instead of one: the
     * {@link StepRun} of a row-wise step whose code is one hands it the rows still to build in batches of at most
     * one checkpoint.
     */
    interface BatchRowBuilder extends RowBuilder {
        /**
         * Builds {@code batch.rows()}, passing each row's values to {@code out} (on the calling thread, in any
         * order) as they are done; a failure is thrown after the rows done before it were passed on.
         */
        void build(BuildContext step, RowBatch batch, RowOut out) throws Exception;
    }

    /**
     * Rows to build, ascending; their arguments resolved per row ({@code arguments}, one per row) or, when no
     * argument depends on the row, once ({@code arguments} holds the step's one map); the spec's {@code threads};
     * and how long finished rows may wait before they are passed on ({@code flushMillis}, the checkpoint interval).
     */
    record RowBatch(long[] rows, List<Map<String, Object>> arguments, int threads, long flushMillis) {
    }

    /** Receives one finished row. */
    @FunctionalInterface
    interface RowOut {
        void accept(long row, List<Object> values);
    }
}
