package dev.recstage.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real MovieLens ml-latest-small files, mapped with the column options as a user would. */
@QuarkusMainTest
class MovieLensFeaturesTest {
    @TempDir
    Path dir;

    /** RECSTAGE_SHARED_DATA when set (a clone elsewhere), else the build's default beside the clone. */
    static Path sharedData() {
        String fromEnvironment = System.getenv("RECSTAGE_SHARED_DATA");
        String configured = fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : System.getProperty("recstage.shared.data");
        return Path.of(configured != null ? configured : "../../../shared/data");
    }

    /**
     * Skips when the shared data sets are not here, except under CI ({@code CI=true}), which runs a
     * clean clone with a copy of shared/ beside it: there a missing data set is a failure.
     */
    static void requireSharedData(Path dir) {
        if (!Files.isDirectory(dir) && "true".equals(System.getenv("CI"))) {
            fail(dir + " is absent under CI=true: the shared data sets must be beside the clone (or set RECSTAGE_SHARED_DATA)");
        }
        assumeTrue(Files.isDirectory(dir), "skipped: " + dir + " is absent (the shared real data sets are not here)");
    }

    @Test
    void keepsEveryMovieAndRating(QuarkusMainLauncher launcher) {
        Path movielens = sharedData().resolve("movielens-ml-latest-small");
        requireSharedData(movielens);
        LaunchResult result = launcher.launch(
                "--items", movielens.resolve("movies.csv").toString(),
                "--interactions", movielens.resolve("ratings.csv").toString(),
                "--items-map", "item_id=movieId", "--items-map", "category=genres",
                "--interactions-map", "user_id=userId", "--interactions-map", "item_id=movieId",
                "--interactions-map", "create_time=timestamp", "--interactions-map", "weight=rating",
                "--out", dir.resolve("features").toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        FeaturesOutput output = FeaturesOutput.read(dir.resolve("features"));
        assertEquals(9_742, output.itemIds().size());
        assertEquals(100_836, output.interactions().size());
        assertEquals(610, output.userIds().size());
        assertEquals("Toy Story (1995)", output.itemText().get(0)[0]);
        assertEquals("Adventure|Animation|Children|Comedy|Fantasy", output.itemText().get(0)[3]);
        // userId 1 rated movieId 1 with 4.0 at 964982703.
        long[] first = output.interactions().stream().filter(r -> r[0] == 0 && r[1] == 0).findFirst().orElseThrow();
        assertEquals(4.0f, Float.intBitsToFloat((int) first[3]));
        assertEquals(964_982_703L, first[4]);
    }
}
