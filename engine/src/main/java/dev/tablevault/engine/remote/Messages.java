package dev.tablevault.engine.remote;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of every frame but rows: calls, results, errors, the handshake. A call names a {@link
 * dev.tablevault.api.Vault} method; its arguments and result are read with the types of that method's signature,
 * so the wire never names a class to load. Values are the API's records, enums, lists, maps and strings
 * ({@link Instant} as ISO-8601).
 */
final class Messages {
    static final ObjectMapper JSON = mapper();
    private static final ObjectWriter RESULT_WRITER = JSON.writerFor(Result.class);
    /** Readers of result values by type: made once, as building one costs more than a small call. */
    private static final Map<Type, ObjectReader> READERS = new ConcurrentHashMap<>();

    private Messages() {
    }

    private static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("instants");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        return new ObjectMapper().registerModule(time);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    /** A result frame's body, {@code {"v": value}}, written straight from the value (no tree in between). */
    static byte[] result(Object value) {
        try {
            return RESULT_WRITER.writeValueAsBytes(new Result(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the API's values always write as JSON: " + e.getMessage(), e);
        }
    }

    /** The value of a result frame's body read as {@code type}, straight from the bytes; a mismatch breaks the protocol. */
    static Object result(byte[] body, Type type) throws Wire.BadFrame {
        try {
            return READERS.computeIfAbsent(type, t -> JSON.readerFor(JSON.constructType(t)).at("/v")).readValue(body);
        } catch (IOException | IllegalArgumentException e) {
            throw new Wire.BadFrame("result is not a " + type.getTypeName() + ": " + e.getMessage());
        }
    }

    /** What a result frame holds. */
    private record Result(Object v) {
    }

    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /** Parses a frame body; anything but a JSON object breaks the protocol. */
    static ObjectNode parse(byte[] body) throws Wire.BadFrame {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw new Wire.BadFrame("frame body is not JSON: " + e.getMessage());
        }
        if (n instanceof ObjectNode o) {
            return o;
        }
        throw new Wire.BadFrame("frame body is not a JSON object");
    }

    /** {@code node} as a value of {@code type}; a mismatch breaks the protocol. */
    static Object value(JsonNode node, Type type) throws Wire.BadFrame {
        try {
            return JSON.treeToValue(node, JSON.constructType(type));
        } catch (IOException | IllegalArgumentException e) {
            throw new Wire.BadFrame("value is not a " + type.getTypeName() + ": " + e.getMessage());
        }
    }
}
