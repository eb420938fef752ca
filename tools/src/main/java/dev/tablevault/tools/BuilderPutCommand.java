package dev.tablevault.tools;

import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.builtin.Utf8Reader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code tv builder put TABLE FILE}: stores a YAML ({@code .yaml}, {@code .yml}) or JSON spec file. */
@Command(name = "put", description = "Store (or replace) a builder spec from a .yaml, .yml or .json file.")
final class BuilderPutCommand extends VaultCommand {
    @Mixin
    TableParameter table;

    @Parameters(index = "1", paramLabel = "FILE")
    Path file;

    @Mixin
    VersionOption version;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        BuilderSpec builder = read();
        try (Vault v = openWritable()) {
            String p = v.putBuilder(table.name, version.label, builder, pid.opOptions());
            printWrite(p, "stored builder spec " + file + " on " + version.tempInstanceId() + " of " + table.name,
                    "table", table.name, "version", version.label, "file", file.toString());
        }
    }

    private BuilderSpec read() {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        if (!yaml && !name.endsWith(".json")) {
            throw new ParameterException(spec.commandLine(), "FILE must end in .yaml, .yml or .json: " + file);
        }
        try (Utf8Reader in = new Utf8Reader(Files.newInputStream(file))) {
            StringWriter text = new StringWriter();
            in.transferTo(text);
            return yaml ? BuilderSpec.fromYaml(text.toString()) : BuilderSpec.fromJson(text.toString());
        } catch (NoSuchFileException e) {
            throw new TvArgumentException(ErrorCode.NOT_FOUND, "no such file: " + file);
        } catch (Utf8Reader.NotUtf8Exception e) {
            throw new TvArgumentException(ErrorCode.BAD_ARGUMENT, "bad builder spec " + file + ": " + e.getMessage()
                    + "; save the file as UTF-8", e);
        } catch (IOException e) {
            throw new TvStorageException(ErrorCode.IO, "cannot read " + file + ": " + e, e);
        }
    }
}
