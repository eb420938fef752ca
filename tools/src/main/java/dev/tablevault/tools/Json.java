package dev.tablevault.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON output. {@link #tree} turns API values into plain maps, lists and scalars first, so records print their
 * components and times print as ISO-8601 strings without extra Jackson modules. Values of {@code object}
 * columns go through the same conversion: maps, collections, arrays (byte arrays excepted) and records become
 * JSON structures, numbers, strings and booleans stay themselves, anything else is its {@code toString}.
 */
final class Json {
    private Json() {
    }

    /** Made on first use, so commands that print text (most) never load Jackson's data binding. */
    private static final class Mapper {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    static ObjectMapper mapper() {
        return Mapper.MAPPER;
    }

    /** An ordered object from alternating keys and values (values may be null). */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** {@code value} as one line of JSON. */
    static String write(Object value) {
        try {
            return mapper().writeValueAsString(tree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A JSON-ready copy of {@code v}: records become objects; other non-JSON values use {@link Csv#format}. */
    static Object tree(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), tree(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(tree(x)));
            return out;
        }
        if (v.getClass().isArray() && !(v instanceof byte[])) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(tree(Array.get(v, i)));
            }
            return out;
        }
        if (v instanceof Record r) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    out.put(rc.getName(), tree(rc.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + rc, e);
                }
            }
            return out;
        }
        return Csv.format(v);
    }
}
