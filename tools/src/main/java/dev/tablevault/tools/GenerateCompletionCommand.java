package dev.tablevault.tools;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code tv generate-completion}: the bash/zsh completion script picocli generates from the command model. */
@Command(name = "generate-completion", description = {"Print a bash/zsh completion script for tv.",
        "Use: source <(tv generate-completion)"})
final class GenerateCompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("tv", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
