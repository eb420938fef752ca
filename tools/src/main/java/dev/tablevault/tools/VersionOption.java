package dev.tablevault.tools;

import picocli.CommandLine.Option;

/**
 * The {@code --version V} option of the commands that work on one temporary instance, {@code TEMP_<V>}
 * (default {@code base}). Not {@code tv instances} and {@code tv show}: there {@code --version} filters, with no
 * default.
 */
final class VersionOption {
    @Option(names = "--version", paramLabel = "V", defaultValue = "base", description = "Version label"
            + " (default: ${DEFAULT-VALUE}).")
    String label;

    /** The id of the temporary instance of this version. */
    String tempInstanceId() {
        return "TEMP_" + label;
    }
}
