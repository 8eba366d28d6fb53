package dev.recstage.core.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Gives every stage's command line the shared mapping of failures to exit codes. */
@ApplicationScoped
public class StageCommandLine {
    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create()
                .setExecutionExceptionHandler((failure, commandLine, parseResult) -> Failures.report(failure, System.err))
                // A bad option is one line like every other error (README), not the message plus the whole usage.
                .setParameterExceptionHandler((failure, args) -> {
                    failure.getCommandLine().getErr().println(UsageErrors.message(failure));
                    return ExitCode.USAGE;
                })
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
