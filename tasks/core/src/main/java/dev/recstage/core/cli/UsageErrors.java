package dev.recstage.core.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one line a bad command line gets. An unknown option is named first, with picocli's
 * suggestion ({@code --feature} → "did you mean --features?"), even when picocli stopped at a
 * required option that the misspelling left missing.
 */
public final class UsageErrors {
    private UsageErrors() {
    }

    public static String message(ParameterException failure) {
        CommandLine commandLine = failure.getCommandLine();
        List<String> unmatched = commandLine.getUnmatchedArguments();
        UnmatchedArgumentException unknown = failure instanceof UnmatchedArgumentException u ? u
                : unmatched.isEmpty() ? null : new UnmatchedArgumentException(commandLine, unmatched);
        String message = unknown == null ? failure.getMessage() : unknown(unknown);
        return "error: " + message + " (see --help)";
    }

    private static String unknown(UnmatchedArgumentException failure) {
        List<String> arguments = failure.getUnmatched();
        String first = arguments.isEmpty() ? "" : arguments.get(0);
        String message = first.startsWith("-") ? "Unknown option: '" + first + "'" : failure.getMessage();
        List<String> suggestions = failure.getSuggestions();
        return suggestions.isEmpty() ? message : message + "; did you mean " + String.join(" or ", suggestions) + "?";
    }
}
