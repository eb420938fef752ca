package dev.tablevault.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.engine.codec.Records.BuilderRecord;

/**
 * A stored builder spec as it reads after its table is renamed: the index builder of table T is named
 * {@code T_index}, so {@code old_index} becomes {@code new_index}, both as the spec's name and where another
 * spec lists it under {@code dependencies}. Nothing else changes: references inside arguments
 * ({@code <<old.column>>}) are the user's text, as the rename's Javadoc says. A rewritten spec keeps its
 * format (YAML or JSON) but not its comments or layout. Stateless.
 */
public final class BuilderRenames {
    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    private BuilderRenames() {
    }

    /** The stored name of {@code name} after table {@code from} is renamed to {@code to}. */
    public static String name(String name, String from, String to) {
        return name.equals(from + "_index") ? to + "_index" : name;
    }

    /** {@code r} after the rename; the same object when nothing in it names the old index builder. */
    public static BuilderRecord renamed(BuilderRecord r, String from, String to) {
        String oldIndex = from + "_index";
        String newIndex = to + "_index";
        ObjectMapper mapper = r.format().equals("YAML") ? YAML : JSON;
        try {
            JsonNode root = mapper.readTree(r.text());
            if (!(root instanceof ObjectNode spec)) {
                return r;
            }
            boolean changed = false;
            if (oldIndex.equals(spec.path("name").asText(null))) {
                spec.put("name", newIndex);
                changed = true;
            }
            if (spec.get("dependencies") instanceof ArrayNode deps) {
                for (int i = 0; i < deps.size(); i++) {
                    String d = deps.get(i).asText();
                    if (d.equals(oldIndex) || d.startsWith(oldIndex + ".")) {
                        deps.set(i, TextNode.valueOf(newIndex + d.substring(oldIndex.length())));
                        changed = true;
                    }
                }
            }
            return changed ? new BuilderRecord(name(r.name(), from, to), r.format(), mapper.writeValueAsString(spec))
                    : r;
        } catch (JsonProcessingException e) {
            throw new TvStorageException(ErrorCode.CORRUPTION, "stored builder spec '" + r.name() + "' of table '"
                    + from + "' no longer parses (" + e.getOriginalMessage() + "); run verify", e);
        }
    }
}
