package dev.tablevault.tools;

import picocli.CommandLine.Parameters;

/** The first positional parameter, {@code TABLE}, of the commands that work on one table's instances. */
final class TableParameter {
    @Parameters(index = "0", paramLabel = "TABLE")
    String name;
}
