package dev.tablevault.tools;

import picocli.CommandLine.Option;

/** The {@code --description TEXT} option of the commands that create a table or an instance. */
final class DescriptionOption {
    @Option(names = "--description", paramLabel = "TEXT", defaultValue = "", description = "Free text.")
    String text;
}
