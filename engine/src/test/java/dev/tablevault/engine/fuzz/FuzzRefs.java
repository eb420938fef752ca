package dev.tablevault.engine.fuzz;

import java.util.Random;

/**
 * Seeded generators of table references ({@code <<table(version).column[condition]>>}) as builder arguments
 * hold them: well-formed ones over the fixture tables, mutated by a character, with names replaced by
 * {@link FuzzStrings}, nested up to thousands deep, or cut off. Stateless.
 */
final class FuzzRefs {
    static final String[] VALID = {"<<stories.title>>", "<<stories(base).title>>", "<<stories(base).{id,title}>>",
        "<<stories.title[id::1]>>", "<<stories.title[id::1:3]>>", "<<stories.title[id::'1']>>", "<<self.id>>",
        "<<self.index>>", "<<stories.title[index]>>", "<<stories.title[id::<<self.id>>]>>",
        "text <<stories.id>> and <<stories.title>>", "\\<<not a reference", "<<other.x>>",
        "<< stories ( base ) . { id , title } [ id :: 1 : 2 ] >>", "<<stories(base_1_0000abcd).id>>",
        "<<<<stories.title[id::1]>>.id>>"};
    static final String PIECES = "<>()[]{}.,:'\"\\ _-0aZ\t\n\u0000é表";

    private FuzzRefs() {
    }

    /** One reference text, usually malformed. */
    static String ref(Random r) {
        String base = VALID[r.nextInt(VALID.length)];
        return switch (r.nextInt(9)) {
            case 0 -> base;
            case 1 -> edit(r, base, 1 + r.nextInt(3));
            case 2 -> base.replace("stories", String.valueOf(FuzzStrings.name(r)));
            case 3 -> base.replace("title", String.valueOf(FuzzStrings.name(r)));
            case 4 -> base.substring(0, r.nextInt(base.length() + 1));
            case 5 -> nested(r, new int[] {2, 10, 100, 1000, 5000, 20_000}[r.nextInt(6)]);
            case 6 -> "<<".repeat(1 + r.nextInt(r.nextBoolean() ? 10 : 20_000));
            case 7 -> base.repeat(1 + r.nextInt(200));
            default -> FuzzStrings.randomChars(r, 1 + r.nextInt(30)) + base;
        };
    }

    /** {@code depth} references, each naming its table through the next, closed or not. */
    static String nested(Random r, int depth) {
        String open = r.nextBoolean() ? "<<" : "<<stories.title[id::";
        String close = open.equals("<<") ? ".id>>" : "]>>";
        String inner = r.nextBoolean() ? "<<stories.id>>" : "";
        return open.repeat(depth) + inner + (r.nextBoolean() ? close.repeat(depth) : "");
    }

    /** {@code s} with {@code n} characters inserted, deleted or doubled. */
    static String edit(Random r, String s, int n) {
        StringBuilder sb = new StringBuilder(s);
        for (int k = 0; k < n; k++) {
            int at = r.nextInt(sb.length() + 1);
            switch (r.nextInt(3)) {
                case 0 -> sb.insert(at, PIECES.charAt(r.nextInt(PIECES.length())));
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < sb.length()) {
                        sb.insert(at, sb.charAt(at));
                    }
                }
            }
        }
        return sb.toString();
    }
}
