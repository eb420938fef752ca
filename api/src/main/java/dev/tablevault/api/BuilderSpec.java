package dev.tablevault.api;

import java.util.Objects;

/**
 * The text of a builder spec in YAML or JSON. The engine parses and validates it on {@code putBuilder}; this
 * type only carries it.
 */
public record BuilderSpec(String text, Format format) {
    /** Spec syntaxes. */
    public enum Format { YAML, JSON }

    public BuilderSpec {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(format, "format");
    }

    public static BuilderSpec fromYaml(String text) {
        return new BuilderSpec(text, Format.YAML);
    }

    public static BuilderSpec fromJson(String text) {
        return new BuilderSpec(text, Format.JSON);
    }
}
