package dev.tablevault.tools;

import dev.tablevault.api.RecoveryReport;
import dev.tablevault.engine.TableVault;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;

/**
 * {@code tv recover}: opens a vault whose write-ahead log lost durable writes at its last consistent point and
 * prints the loss report it leaves in the vault. Exit 0 whether or not something was lost.
 */
@Command(name = "recover", description = "Open a vault that refuses to open because its write-ahead log lost"
        + " durable writes, at its last consistent point; writes and prints a report of what was lost"
        + " (recovery/<time>.json in the vault). Changes nothing when nothing was lost.")
final class RecoverCommand extends VaultCommand {
    @Override
    void execute() {
        RecoveryReport r = TableVault.recover(vaultLocation(), options());
        Map<String, Object> o = Json.obj("lost", r.lost(), "description", r.description(),
                "recoveredSequence", r.recoveredSequence(), "lostToSequence", r.lostToSequence(),
                "droppedBatches", r.droppedBatches(), "processes", r.processes(), "tables", r.tables(),
                "instances", r.instances(), "report", r.reportFile());
        String text = !r.lost() ? r.description()
                : "recovered with loss: " + r.description() + "\nprocesses touched: " + join(r.processes())
                + "\ntables touched: " + join(r.tables()) + "\ninstances touched: "
                + join(r.instances()) + "\nreport: " + r.reportFile()
                + "\nnext: open the vault with restart(true) ('tv restart') and check it with 'tv verify'";
        print(o, text);
    }

    private static String join(List<String> names) {
        return names.isEmpty() ? "none known" : String.join(", ", names);
    }
}
