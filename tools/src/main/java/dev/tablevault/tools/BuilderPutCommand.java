package dev.tablevault.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tablevault.api.Builder;
import dev.tablevault.api.BuilderSpec;
import dev.tablevault.api.ErrorCode;
import dev.tablevault.api.TvArgumentException;
import dev.tablevault.api.TvBuilderException;
import dev.tablevault.api.TvStorageException;
import dev.tablevault.api.Vault;
import dev.tablevault.engine.builtin.Builtins;
import dev.tablevault.engine.builtin.Utf8Reader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;

/** {@code tv builder put TABLE FILE}: stores a YAML ({@code .yaml}, {@code .yml}) or JSON spec file. */
@Command(name = "put", description = "Store (or replace) a builder spec from a .yaml, .yml or .json file.")
final class BuilderPutCommand extends VaultCommand {
    /** Made on first use: picocli makes every subcommand at each start, and a YAML mapper costs 0.2-0.4 s. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    }

    @Mixin
    TableParameter table;

    @Parameters(index = "1", paramLabel = "FILE")
    Path file;

    @Mixin
    VersionOption version;

    @Option(names = "--unregistered", description = "Store a spec whose builder code tv cannot find (one your"
            + " application registers by name); by default such a spec is refused.")
    boolean unregistered;

    @Mixin
    ProcessIdOption pid;

    @Override
    void execute() {
        BuilderSpec builder = read();
        try (Vault v = openWritable()) {
            if (!unregistered) {
                v.instances(table.name, version.label, true);   // a missing table first: the engine's NOT_FOUND
                requireKnownCode(builder);
            }
            String p = v.putBuilder(table.name, version.label, builder, pid.opOptions());
            printWrite(p, "stored builder spec " + file + " on " + version.tempInstanceId() + " of " + table.name,
                    "table", table.name, "version", version.label, "file", file.toString());
        }
    }

    /**
     * Refuses a spec whose {@code builder} is neither built in nor a ServiceLoader provider on tv's class path:
     * its execution by tv could only fail. A spec that does not parse is left to the engine, which names the error.
     */
    private void requireKnownCode(BuilderSpec builder) {
        JsonNode code;
        try {
            code = (builder.format() == BuilderSpec.Format.YAML ? Yaml.MAPPER : Json.mapper()).readTree(builder.text())
                    .path("builder");
        } catch (JsonProcessingException unparsable) {
            return;     // putBuilder reports it as BAD_BUILDER, with the position
        }
        if (!code.isTextual() || Builtins.get(code.asText()) != null) {
            return;
        }
        for (ServiceLoader.Provider<Builder> p : ServiceLoader.load(Builder.class).stream().toList()) {
            if (p.type().getName().equals(code.asText())) {
                return;
            }
        }
        throw new TvBuilderException(ErrorCode.BUILDER_NOT_FOUND, "builder spec " + file + " names code '"
                + code.asText() + "', which is not built in (" + String.join(", ", Builtins.names()) + ") and is no"
                + " ServiceLoader provider of " + Builder.class.getName() + " on tv's class path; add your jar to the"
                + " class path (java -cp tv.jar:yours.jar " + Tv.class.getName() + " ...), or give --unregistered if"
                + " your application registers it by name");
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
