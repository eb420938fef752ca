package dev.tablevault.tools;

import dev.tablevault.api.Vault;
import dev.tablevault.api.VaultStats;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.stream.Collectors;

/** {@code tv stats}: counts and sizes of the vault, and the durability it is opened with. */
@Command(name = "stats", description = "Show the vault's counts and sizes, and its durability mode.")
final class StatsCommand extends VaultCommand {
    @Override
    void execute() {
        VaultStats s;
        try (Vault v = openReadOnly()) {
            s = v.stats();
        }
        Map<String, Object> o = Json.obj("durability", s.durability(), "formatVersion", s.formatVersion(),
                "tables", s.tables(), "instances", s.instances(), "temporaryInstances", s.temporaryInstances(),
                "activeProcesses", s.activeProcesses(), "finishedProcesses", s.finishedProcesses(),
                "locks", s.locks(), "databaseBytes", s.databaseBytes(), "walBytes", s.walBytes(),
                "artifactBytes", s.artifactBytes(), "trimmedProcesses", s.trimmedProcesses(),
                "trimmedBefore", s.trimmedBefore(), "retention", s.retention());
        print(o, o.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
    }
}
