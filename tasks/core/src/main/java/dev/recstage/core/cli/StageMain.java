package dev.recstage.core.cli;

import dev.recstage.core.stage.StopRequest;
import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point of every stage. It exists so that a failure during start-up (a malformed
 * configuration value, for instance) ends with the stage's exit codes and a one-line message
 * rather than Quarkus' generic exit 1 and stack trace.
 */
@QuarkusMain
public class StageMain {
    public static void main(String... args) {
        StopRequest.install();
        Quarkus.run(PicocliRunner.class, (exitCode, failure) -> {
            StopRequest.exiting();
            // A failure during a stop is the stop's doing, which the hook has reported: exit 143 like
            // every stop, without an error line about what the stop broke.
            int code = failure == null ? exitCode
                    : StopRequest.stopping() ? ExitCode.STOPPED
                    : Failures.report(failure, System.err);
            // Quarkus' default handler: System.exit in production; in @QuarkusMainTest it records
            // the code instead, so that the test JVM survives.
            ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(code, null);
        }, args);
    }
}
