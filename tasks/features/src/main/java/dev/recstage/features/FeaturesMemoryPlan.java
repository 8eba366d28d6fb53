package dev.recstage.features;

import dev.recstage.core.memory.MemoryPlan;
import dev.recstage.features.ItemCatalog.Catalog;

/**
 * What the features stage holds on its heap around the interactions, checked twice so that a run
 * too large for its budget ends with exit 4 and advice rather than running out of heap:
 * <ul>
 * <li>before reading them: the item catalogue as built, and the interaction table at its largest,
 * one row per line of the file;</li>
 * <li>after reading them, before sorting: the catalogue, the table, the users' ids as read, and the
 * sort's arrays;</li>
 * <li>with embeddings, at the first check too: the catalogue and the vectors aligned to the items
 * (items × dimension floats), which are read once the table and the users' ids are let go.</li>
 * </ul>
 * The users' ids are known only once read, so the first check leaves them out (they take a few
 * bytes per user, against 21 per line for the table). The item texts are in the spill file, not on
 * the heap. Not counted: the parser's buffers and the Arrow batches of items.arrow, written beside
 * the reading (the runtime's share covers them at the sizes measured: 15.5 MB of Arrow at 1M items).
 */
final class FeaturesMemoryPlan {
    /** Only the limit: the first check counts every line of the file, which --since does not shorten. */
    static final String ADVICE = "raise the memory limit (FEATURES_MEMORY_LIMIT, or the pod's limit; the heap is "
            + "JVM_MAX_RAM_PERCENTAGE of it)";

    private FeaturesMemoryPlan() {
    }

    static MemoryPlan beforeInteractions(Catalog catalog, long interactionLines) {
        return new MemoryPlan()
                .heap("item catalogue", catalog.bytes())
                .heap("interactions table (one row per line at most: " + interactionLines + " lines)", InteractionTable.bytesFor(interactionLines));
    }

    static MemoryPlan forEmbeddings(Catalog catalog, int dimension) {
        return new MemoryPlan()
                .heap("item catalogue", catalog.bytes())
                .heap("embeddings aligned to the items (" + catalog.size() + " × " + dimension + " floats)", EmbeddingsImport.heapBytes(catalog.size(), dimension));
    }

    static MemoryPlan beforeSort(Catalog catalog, InteractionTable table, IdIndex users) {
        return new MemoryPlan()
                .heap("item catalogue", catalog.bytes())
                .heap("interactions table (" + table.size() + " rows)", InteractionTable.bytesFor(table.size()))
                .heap("user ids (" + users.size() + ")", users.bytes())
                .heap("sort and deduplication", InteractionTable.sortBytes(table.size(), users.size()));
    }
}
