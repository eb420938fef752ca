package dev.tablevault.engine.ref;

import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.engine.ref.Ref.Cond;
import dev.tablevault.engine.ref.Ref.Kind;
import dev.tablevault.engine.ref.Ref.Nested;
import dev.tablevault.engine.ref.Ref.Part;
import dev.tablevault.engine.ref.Ref.Text;

import java.util.ArrayList;
import java.util.List;

/**
 * A string argument parsed into literal text and {@link Ref}s. Grammar (whitespace allowed between tokens):
 * <pre>
 * ref   := '&lt;&lt;' name ['(' version ')'] ['.' (name | '{' name {',' name} '}')] ['[' cond {',' cond} ']'] '&gt;&gt;'
 * name  := [A-Za-z0-9_-]+ | ref          version := [A-Za-z0-9_.-]+ | ref
 * cond  := name ['::' value [':' value]]  value := ref | 'quoted' | "quoted" | bare text up to , : ] &gt;&gt;
 * </pre>
 * {@code \<<} is a literal {@code <<}. References nest at most {@link #MAX_DEPTH} deep. Immutable.
 */
public final class Template {
    /** The deepest nesting of references parsed: deeper text is refused instead of overflowing the stack. */
    static final int MAX_DEPTH = 32;
    /** One piece of the text: a String or a Ref. */
    private final List<Object> pieces;

    private Template(List<Object> pieces) {
        this.pieces = List.copyOf(pieces);
    }

    /**
     * Parses {@code text}; {@code where} names the text in errors (e.g. "builder 'b' argument 'prompt'").
     *
     * @throws TvBuilderException {@link ErrorCode#BAD_REFERENCE} naming the position and what was expected
     */
    public static Template parse(String text, String where) {
        return new Parser(text, where).template();
    }

    /** The references, outermost ones, in order. */
    public List<Ref> refs() {
        return pieces.stream().filter(p -> p instanceof Ref).map(p -> (Ref) p).toList();
    }

    /** True when the text is exactly one reference: its value keeps its type instead of becoming text. */
    public boolean single() {
        return pieces.size() == 1 && pieces.get(0) instanceof Ref;
    }

    /** Literal text and references in order. */
    List<Object> pieces() {
        return pieces;
    }

    private static final class Parser {
        private final String s;
        private final String where;
        private int i;
        /** References open at {@link #i}. */
        private int depth;

        Parser(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Template template() {
            List<Object> out = new ArrayList<>();
            StringBuilder lit = new StringBuilder();
            while (i < s.length()) {
                if (s.startsWith("\\<<", i)) {
                    lit.append("<<");
                    i += 3;
                } else if (s.startsWith("<<", i)) {
                    if (lit.length() > 0) {
                        out.add(lit.toString());
                        lit.setLength(0);
                    }
                    out.add(ref());
                } else {
                    lit.append(s.charAt(i++));
                }
            }
            if (lit.length() > 0) {
                out.add(lit.toString());
            }
            return new Template(out);
        }

        private Ref ref() {
            int start = i;
            if (++depth > MAX_DEPTH) {
                throw new TvBuilderException(ErrorCode.BAD_REFERENCE, where + ": bad table reference at position " + i
                        + ": references nest more than " + MAX_DEPTH + " deep; name the table, version or value"
                        + " literally");
            }
            expect("<<");
            Part table = name("a table name or 'self'", false);
            Part version = null;
            ws();
            if (peek('(')) {
                i++;
                version = name("a version or instance id", true);
                expectChar(')');
            }
            List<Part> columns = new ArrayList<>();
            ws();
            if (peek('.')) {
                i++;
                ws();
                if (peek('{')) {
                    i++;
                    do {
                        columns.add(name("a column name", false));
                        ws();
                    } while (take(','));
                    expectChar('}');
                } else {
                    columns.add(name("a column name", false));
                }
            }
            List<Cond> conds = new ArrayList<>();
            ws();
            if (peek('[')) {
                i++;
                do {
                    conds.add(cond());
                    ws();
                } while (take(','));
                expectChar(']');
            }
            ws();
            expect(">>");
            depth--;
            return new Ref(table, version, columns, conds, start);
        }

        private Cond cond() {
            Part column = name("a condition column", false);
            ws();
            if (!s.startsWith("::", i)) {
                return new Cond(column, Kind.CURRENT, null, null);
            }
            i += 2;
            Part low = value();
            ws();
            if (s.startsWith("::", i) || !peek(':')) {
                return new Cond(column, Kind.EQUALS, low, null);
            }
            i++;
            return new Cond(column, Kind.RANGE, low, value());
        }

        private Part value() {
            ws();
            if (s.startsWith("<<", i)) {
                return new Nested(ref());
            }
            if (peek('\'') || peek('"')) {
                char q = s.charAt(i);
                int end = s.indexOf(q, i + 1);
                if (end < 0) {
                    throw error("a closing " + q);
                }
                String v = s.substring(i + 1, end);
                i = end + 1;
                return new Text(v);
            }
            int start = i;
            while (i < s.length() && ",:]".indexOf(s.charAt(i)) < 0 && !s.startsWith(">>", i)
                    && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw error("a value (a literal, a 'quoted' text or a <<reference>>)");
            }
            return new Text(s.substring(start, i));
        }

        private Part name(String what, boolean dots) {
            ws();
            if (s.startsWith("<<", i)) {
                return new Nested(ref());
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) && s.charAt(i) < 128
                    || s.charAt(i) == '_' || s.charAt(i) == '-' || dots && s.charAt(i) == '.')) {
                i++;
            }
            if (i == start) {
                throw error(what);
            }
            return new Text(s.substring(start, i));
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private boolean take(char c) {
            ws();
            if (peek(c)) {
                i++;
                return true;
            }
            return false;
        }

        private void expectChar(char c) {
            ws();
            if (!peek(c)) {
                throw error("'" + c + "'");
            }
            i++;
        }

        private void expect(String t) {
            if (!s.startsWith(t, i)) {
                throw error("'" + t + "'");
            }
            i += t.length();
        }

        private TvBuilderException error(String expected) {
            String found = i >= s.length() ? "the end of the text"
                    : "'" + s.substring(i, Math.min(s.length(), i + 12)) + (i + 12 < s.length() ? "...'" : "'");
            return new TvBuilderException(ErrorCode.BAD_REFERENCE, where + ": bad table reference at position " + i
                    + " of \"" + s + "\": expected " + expected + ", found " + found
                    + "; the form is <<table(version).column[condition]>>");
        }
    }
}
