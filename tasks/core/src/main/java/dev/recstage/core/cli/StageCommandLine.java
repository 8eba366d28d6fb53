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
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
