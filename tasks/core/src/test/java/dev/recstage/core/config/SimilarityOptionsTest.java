package dev.recstage.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class SimilarityOptionsTest {
    @Command(name = "stage")
    static class Stage {
        @Mixin
        SimilarityOptions options;
    }

    private static final EngineOptionsTest.Similarity CONFIGURED = new EngineOptionsTest.Similarity("1000", 200, Optional.of(3));
    private static final EngineOptionsTest.Switches SWITCHES = new EngineOptionsTest.Switches(Flag.of("0"), Flag.of("1"));

    private static SimilarityOptions parse(String... args) {
        Stage stage = new Stage();
        new CommandLine(stage).parseArgs(args);
        return stage.options;
    }

    @Test
    void theOptionsOverrideTheConfiguration() {
        SimilarityOptions options = parse("--batch-size", "auto", "--threads", "2", "--shard", "1/4");
        assertEquals(new EngineOptions(2, OptionalInt.empty(), false), options.engine(CONFIGURED, SWITCHES));
        assertEquals(new Shard(1, 4), options.shard());
    }

    @Test
    void withoutOptionsTheConfigurationAndTheWholeRange() {
        SimilarityOptions options = parse();
        assertEquals(new EngineOptions(3, OptionalInt.of(1000), false), options.engine(CONFIGURED, SWITCHES));
        assertEquals(Shard.WHOLE, options.shard());
    }

    @Test
    void badValuesAreUsageErrorsWhenResolved() {
        assertEquals(ExitCode.USAGE, assertThrows(StageException.class, () -> parse("--shard", "4/4").shard()).exitCode());
        assertEquals(ExitCode.USAGE, assertThrows(StageException.class, () -> parse("--batch-size", "0").engine(CONFIGURED, SWITCHES))
                .exitCode());
    }
}
