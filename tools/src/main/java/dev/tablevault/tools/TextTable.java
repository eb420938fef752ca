package dev.tablevault.tools;

import dev.tablevault.api.LockInfo;
import dev.tablevault.api.ProcessInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Aligned plain-text tables for {@code ps}, {@code history} and {@code locks}. */
final class TextTable {
    private TextTable() {
    }

    static String processes(Collection<ProcessInfo> ps) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "OPERATION", "STATE", "AUTHOR", "STEPS", "STARTED", "ERROR"});
        for (ProcessInfo p : ps) {
            rows.add(new String[] {p.id(), p.operation(), String.valueOf(p.status()), p.author(),
                Long.toString(p.stepsDone()), String.valueOf(p.started()), p.error() == null ? "" : p.error()});
        }
        return render(rows);
    }

    static String locks(Collection<LockInfo> ls) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RESOURCE", "MODE", "PROCESS", "STATE", "OS PID"});
        for (LockInfo l : ls) {
            rows.add(new String[] {l.resource(), String.valueOf(l.mode()), l.processId(),
                String.valueOf(l.processState()), l.runnerPid() == null ? "" : l.runnerPid().toString()});
        }
        return render(rows);
    }

    /** Left-aligned columns separated by two spaces; the last column is not padded. */
    static String render(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                line.append(c == cols - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
            }
            sb.append(line.toString().stripTrailing());
        }
        return sb.toString();
    }
}
