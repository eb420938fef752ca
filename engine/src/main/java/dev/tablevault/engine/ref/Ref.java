package dev.tablevault.engine.ref;

import java.util.List;

/**
 * One parsed table reference {@code <<table(version).{columns}[conditions]>>}. Every part is a literal name
 * or a nested reference, resolved first. {@code version} is null when absent; {@code columns} is empty when
 * the reference names none (all columns). {@code pos} is the offset of its {@code <<} in the text it was
 * parsed from. Immutable.
 */
public record Ref(Part table, Part version, List<Part> columns, List<Cond> conditions, int pos) {
    /** The table name standing for the instance being built. */
    public static final String SELF = "self";
    /** The pseudo-column holding each row's position. */
    public static final String INDEX = "index";

    public Ref {
        columns = List.copyOf(columns);
        conditions = List.copyOf(conditions);
    }

    /** A name or value: literal text or a nested reference. */
    public sealed interface Part permits Text, Nested {
    }

    /** Literal text (quotes already removed). */
    public record Text(String text) implements Part {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A nested reference whose result is the part's text. */
    public record Nested(Ref ref) implements Part {
        @Override
        public String toString() {
            return ref.toString();
        }
    }

    /** How a condition selects rows. */
    public enum Kind {
        /** {@code col::v}: the column equals v. */
        EQUALS,
        /** {@code col::a:b}: {@code a <= col < b}. */
        RANGE,
        /** A bare {@code col}: the column equals the current row's position ({@code index}: that very row). */
        CURRENT
    }

    /** One condition; {@code high} is set for a range only, {@code low} for equality and range. */
    public record Cond(Part column, Kind kind, Part low, Part high) {
        @Override
        public String toString() {
            return column + switch (kind) {
                case EQUALS -> "::" + low;
                case RANGE -> "::" + low + ":" + high;
                case CURRENT -> "";
            };
        }
    }

    /** True when this reference or one nested in it needs the current row. */
    public boolean perRow() {
        if (table instanceof Text t && t.text().equals(SELF) && columns.size() == 1
                && columns.get(0) instanceof Text c && c.text().equals(INDEX) && conditions.isEmpty()) {
            return true;
        }
        for (Cond c : conditions) {
            if (c.kind() == Kind.CURRENT || nestedPerRow(c.column()) || nestedPerRow(c.low()) || nestedPerRow(c.high())) {
                return true;
            }
        }
        return nestedPerRow(table) || nestedPerRow(version) || columns.stream().anyMatch(Ref::nestedPerRow);
    }

    private static boolean nestedPerRow(Part p) {
        return p instanceof Nested n && n.ref().perRow();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<<").append(table);
        if (version != null) {
            sb.append('(').append(version).append(')');
        }
        if (columns.size() == 1) {
            sb.append('.').append(columns.get(0));
        } else if (!columns.isEmpty()) {
            sb.append(".{");
            for (int i = 0; i < columns.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(columns.get(i));
            }
            sb.append('}');
        }
        if (!conditions.isEmpty()) {
            sb.append('[');
            for (int i = 0; i < conditions.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(conditions.get(i));
            }
            sb.append(']');
        }
        return sb.append(">>").toString();
    }
}
