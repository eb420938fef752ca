package dev.tablevault.bench;

/** Reading the harnesses' {@code --option value} arguments. Stateless. */
final class CliArgs {
    private CliArgs() {
    }

    /** Runs {@code parse}; when it rejects an option, says why on stderr and exits with status 2. */
    static void parseOrExit(Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** The value after the option at {@code i - 1}. @throws IllegalArgumentException when there is none */
    static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** A whole number above 0 ({@code _} separators allowed). @throws IllegalArgumentException otherwise */
    static int positive(String option, String v) {
        int n;
        try {
            n = Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got " + v);
        }
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be > 0, got " + v);
        }
        return n;
    }
}
