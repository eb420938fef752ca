package dev.tablevault.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code tv builder put|rm|ls|show}: the builder specs of a temporary instance. */
@Command(name = "builder", description = "Manage the builder specs of a temporary instance.",
        synopsisSubcommandLabel = "(put | rm | ls | show)",
        subcommands = {BuilderPutCommand.class, BuilderRmCommand.class, BuilderLsCommand.class,
            BuilderShowCommand.class})
final class BuilderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing builder command: put, rm, ls or show");
    }
}
