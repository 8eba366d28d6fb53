package dev.recstage.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

class UsageErrorsTest {
    @Command(name = "stage")
    static class Stage implements Runnable {
        @Option(names = "--features", required = true)
        Path features;

        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--top-k")
        int topK;

        @Override
        public void run() {
        }
    }

    private static String error(String... args) {
        String[] message = new String[1];
        new CommandLine(new Stage()).setParameterExceptionHandler((ParameterException failure, String[] a) -> {
            message[0] = UsageErrors.message(failure);
            return ExitCode.USAGE;
        }).execute(args);
        return message[0];
    }

    @Test
    void aMisspeltRequiredOptionIsNamedWithItsSuggestionNotReportedAsMissing() {
        assertEquals("error: Unknown option: '--feature'; did you mean --features? (see --help)",
                error("--feature", "dir", "--out", "out"));
    }

    @Test
    void aMisspeltOptionalOptionIsNamedWithItsSuggestion() {
        assertEquals("error: Unknown option: '--top-kk'; did you mean --top-k? (see --help)",
                error("--features", "f", "--out", "out", "--top-kk", "3"));
    }

    @Test
    void otherErrorsKeepPicocliMessage() {
        assertEquals("error: Missing required option: '--out=<out>' (see --help)", error("--features", "f"));
    }
}
