package dev.tablevault.api;

import java.time.Instant;

/** What a table is. {@code artifactInstance} is the instance whose artifacts the table folder holds, or null. */
public record TableDescription(String name, String description, boolean sideEffects, boolean multipleArtifacts,
                               Instant created, String artifactInstance) {
}
