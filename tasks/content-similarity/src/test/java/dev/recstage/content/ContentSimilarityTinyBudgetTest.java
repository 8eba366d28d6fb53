package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs in its own JVM with RECSTAGE_MEMORY_LIMIT=64Mi (see the module's pom): no plan fits, not even the first pass's. */
@QuarkusMainTest
class ContentSimilarityTinyBudgetTest {
    @TempDir
    Path work;

    @Test
    void aBudgetBelowTheRuntimeItselfExitsWith4AtTheFirstCheckAndSaysWhatToChange(QuarkusMainLauncher launcher) {
        assertEquals("64Mi", System.getenv("RECSTAGE_MEMORY_LIMIT"), "this test needs the environment its surefire execution sets");
        Path features = work.resolve("features");
        FeaturesFixture.write(features, FeaturesFixture.generatedItems(200, 3), FeaturesFixture.generatedVectors(200, 8, 3));
        for (String batch : new String[] {"auto", "100"}) {
            LaunchResult result = launcher.launch("--features", features.toString(), "--out", work.resolve("out").toString(),
                    "--batch-size", batch);
            String error = result.getErrorOutput();
            assertEquals(4, result.exitCode(), error);
            assertTrue(error.contains("the plan needs") && error.contains("RECSTAGE_MEMORY_LIMIT"), error);
            // The first pass checks its budget before it grows: the limit is below the runtime's own share, so it refuses there.
            assertTrue(error.contains("first pass") && error.contains("raise the memory limit (CONTENT_SIMILARITY_MEMORY_LIMIT"), error);
            assertFalse(Files.exists(work.resolve("out")), "no partial output");
        }
    }
}
