package dev.tablevault.engine;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Seeded random values for OBJECT columns: scalars, mutable and immutable collections (nulls inside where they
 * are allowed), nested maps and lists, a record, a class without a no-arg constructor, an enum, arrays at the top
 * level (a list compares nested arrays by identity). Every value has a content {@code equals}.
 */
final class RandomObjects {
    private RandomObjects() {
    }

    /** A record, as applications would store. */
    record Point(int x, String label, List<Object> tags) {
    }

    /** A plain class with final fields and no no-arg constructor. */
    static final class Box {
        private final long id;
        private final Map<String, Object> attributes;

        Box(long id, Map<String, Object> attributes) {
            this.id = id;
            this.attributes = attributes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Box b && b.id == id && Objects.equals(b.attributes, attributes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, attributes);
        }

        @Override
        public String toString() {
            return "Box(" + id + ", " + attributes + ")";
        }
    }

    enum Mood { CALM, ODD, LOUD }

    /** A value for a top-level cell (arrays allowed). */
    static Object value(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextBoolean() ? new int[]{r.nextInt(), r.nextInt(9)} : new Object[]{"a", r.nextLong(), null};
            default -> nested(r, 3);
        };
    }

    /** A value nested at most {@code depth} containers deep; no arrays (collections compare them by identity). */
    static Object nested(Random r, int depth) {
        int kinds = depth == 0 ? 8 : 16;
        return switch (r.nextInt(kinds)) {
            case 0 -> r.nextLong() >> r.nextInt(64);
            case 1 -> CodecTest.randomString(r);
            case 2 -> r.nextInt(8) == 0 ? Double.NaN : r.nextGaussian() * 1e6;
            case 3 -> r.nextBoolean();
            case 4 -> Instant.ofEpochSecond(r.nextInt() * 10L, r.nextInt(1_000_000_000));
            case 5 -> Mood.values()[r.nextInt(Mood.values().length)];
            case 6 -> new BigDecimal(r.nextLong()).movePointLeft(r.nextInt(20));
            case 7 -> new UUID(r.nextLong(), r.nextLong());
            case 8 -> {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    l.add(r.nextInt(6) == 0 ? null : nested(r, depth - 1));
                }
                yield l;
            }
            case 9 -> {
                Map<String, Object> m = new HashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    m.put("k" + r.nextInt(10), r.nextInt(6) == 0 ? null : nested(r, depth - 1));
                }
                yield m;
            }
            case 10 -> List.of(nested(r, depth - 1), CodecTest.randomString(r));
            case 11 -> Map.of("a", nested(r, depth - 1), "b", r.nextInt());
            case 12 -> new Point(r.nextInt(), r.nextBoolean() ? null : CodecTest.randomString(r),
                    r.nextBoolean() ? List.of() : new ArrayList<>(List.of(nested(r, depth - 1))));
            case 13 -> {
                Map<String, Object> attributes = new LinkedHashMap<>();
                attributes.put("took", Duration.ofMillis(r.nextInt(100_000)));
                attributes.put("inner", nested(r, depth - 1));
                yield new Box(r.nextLong(), attributes);
            }
            case 14 -> {
                TreeMap<String, Long> m = new TreeMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put(CodecTest.randomString(r), r.nextLong());
                }
                yield m;
            }
            default -> new ArrayList<>(List.of(nested(r, depth - 1), nested(r, depth - 1)));
        };
    }
}
