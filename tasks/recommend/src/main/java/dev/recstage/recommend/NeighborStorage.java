package dev.recstage.recommend;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code RECOMMEND_NEIGHBOR_STORAGE}: where the two sources' neighbour lists are kept. {@code heap}
 * (fastest), {@code disk} (a scratch file in the output's staging directory, mapped: the heap holds
 * only the row offsets) or {@code auto}: the heap when the plan fits the budget with the lists there,
 * else disk.
 */
enum NeighborStorage {
    AUTO, HEAP, DISK;

    static NeighborStorage parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw StageException.usage("RECOMMEND_NEIGHBOR_STORAGE=" + value + ": choose auto, heap or disk");
        }
    }

    /** The storage a run uses: the one asked for, or for {@code AUTO} the heap when the plan with the lists there fits. */
    NeighborStorage resolve(Function<NeighborStorage, MemoryPlan> planWith, MemoryBudget budget) {
        if (this != AUTO) {
            return this;
        }
        return planWith.apply(HEAP).fits(budget) ? HEAP : DISK;
    }

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
