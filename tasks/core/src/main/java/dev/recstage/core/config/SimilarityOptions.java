package dev.recstage.core.config;

import picocli.CommandLine.Option;

/**
 * The command-line options both similarity stages share (a picocli mixin): how the top-K
 * computation runs and which shard of the items it covers. Each overrides its environment variable.
 */
public class SimilarityOptions {
    @Option(names = "--batch-size", paramLabel = "B|auto",
            description = "Rows per block, or auto: the largest that fits the memory budget (default SIMILARITY_BATCH_SIZE, 1000).")
    String batchSize;

    @Option(names = "--shard", paramLabel = "i/n",
            description = "Compute only the i-th (0-based) of n contiguous item ranges, rows [i·N/n, (i+1)·N/n) (default 0/1).")
    String shard;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default SIMILARITY_THREADS, else the available processors).")
    Integer threads;

    /** The checked engine options; a bad value is exit 2. */
    public EngineOptions engine(SimilarityConfig similarity, SwitchesConfig switches) {
        return EngineOptions.of(similarity, switches, threads, batchSize);
    }

    /** The checked shard, the whole item range when {@code --shard} is not given; a bad value is exit 2. */
    public Shard shard() {
        return Shard.option(shard);
    }
}
