package dev.tablevault.engine.data;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Name rules, documented in the README:
 * <ul>
 * <li>table: {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}, not reserved (case-insensitive): TableVault's folder
 * names plus {@code self} and {@code index}, which clash with the reference language;</li>
 * <li>version: {@code [A-Za-z0-9][A-Za-z0-9-]{0,31}} (no {@code _});</li>
 * <li>process id: {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,127}};</li>
 * <li>column and builder names: {@code [A-Za-z0-9_][A-Za-z0-9_-]{0,127}}; a column may not be {@code index}.</li>
 * </ul>
 */
public final class Names {
    static final Set<String> RESERVED_TABLES = Set.of("execution_archive", "builders", "archived_trash",
            "code_functions", "metadata", "locks", "_temp", "restart", "artifacts", "description.yaml",
            ".tablevault", "~process_id~", "self", "index", "temp");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");
    private static final Pattern PROCESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,127}");
    private static final Pattern INSTANCE = Pattern.compile("TEMP_[A-Za-z0-9][A-Za-z0-9-]{0,31}|"
            + "[A-Za-z0-9][A-Za-z0-9-]{0,31}_[0-9]+_[0-9a-f]{8}");

    private Names() {
    }

    public static String table(String name) {
        if (name == null || !TABLE.matcher(name).matches()) {
            throw bad("table name", name, "use 1-64 of A-Z a-z 0-9 _ -, starting with a letter or digit");
        }
        if (RESERVED_TABLES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "forbidden table name '" + name
                    + "': it is reserved; choose another name");
        }
        return name;
    }

    public static String version(String v) {
        if (v == null || !VERSION.matcher(v).matches()) {
            throw bad("version", v, "use 1-32 of A-Z a-z 0-9 -, starting with a letter or digit (no '_')");
        }
        return v;
    }

    public static String processId(String id) {
        if (id == null || !PROCESS.matcher(id).matches()) {
            throw bad("process id", id, "use 1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit,"
                    + " or call generateProcessId()");
        }
        return id;
    }

    public static String column(String c) {
        if (c == null || !COLUMN.matcher(c).matches()) {
            throw bad("column name", c, "use 1-128 of A-Z a-z 0-9 _ -");
        }
        if (c.equals("index")) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "column name 'index' is reserved for the row"
                    + " index; rename the column");
        }
        return c;
    }

    public static String builder(String b) {
        if (b == null || !COLUMN.matcher(b).matches()) {
            throw bad("builder name", b, "use 1-128 of A-Z a-z 0-9 _ -");
        }
        return b;
    }

    public static String instance(String id) {
        if (id == null || !INSTANCE.matcher(id).matches()) {
            throw bad("instance id", id, "expected TEMP_<version> or <version>_<millis>_<8 hex digits>;"
                    + " list them with instances()");
        }
        return id;
    }

    public static String temp(String version) {
        return "TEMP_" + version;
    }

    private static TvArgumentException bad(String what, String value, String hint) {
        return new TvArgumentException(ErrorCode.BAD_ARGUMENT, "bad " + what + " "
                + (value == null ? "null" : "'" + value + "'") + ": " + hint);
    }
}
