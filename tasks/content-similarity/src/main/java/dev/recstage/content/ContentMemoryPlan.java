package dev.recstage.content;

import dev.recstage.content.incremental.ItemTextHashes;
import dev.recstage.content.tfidf.TfidfMatrixBuilder;
import dev.recstage.content.tfidf.TfidfModel;
import dev.recstage.content.vector.HnswBlendSearch;
import dev.recstage.content.vector.HnswIndex;
import dev.recstage.content.vector.HnswParameters;
import dev.recstage.content.vector.ItemVectors;
import dev.recstage.content.vector.UnitRows;
import dev.recstage.content.vector.VectorBlendSearch;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.DenseReference;
import dev.recstage.core.engine.EnginePlan;
import dev.recstage.core.memory.BatchSizeChoice;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;
import java.util.OptionalInt;

/**
 * What a content-similarity run will hold, phase by phase, computed from the first pass's counts
 * before the matrix is allocated; the heap it needs is its largest phase's. It picks the batch
 * size ({@code auto}: the largest that fits) or ends the run with exit 4 and advice.
 *
 * <p>The phases follow {@link ContentSimilarityRun}: pass 2 builds the TF-IDF matrix from the
 * first pass's counted documents, while the term table (which the counted documents refer to) and
 * its term → column map are live; all three are dropped, and collected, once the matrix is built,
 * before the transpose, so that neither the transpose nor the similarity holds them. The model and
 * the item ids live through the whole run, the items' text hashes from just before the similarity.
 *
 * @param modelBytes      estimated heap of the TF-IDF model ({@link TfidfModel#estimatedBytes})
 * @param vocabularyBytes estimated heap of the first pass's term table and its term → column map
 * @param countedBytes    heap of the first pass's counted documents, kept until the matrix is built
 * @param itemIdBytes     off-heap bytes of the item ids as allocated (the neighbours files' dictionary)
 * @param dimension       embedding dimension, 0 when vectors are not used
 * @param hnsw            the HNSW index's parameters when the vectors use it, null for the exact all-pairs search
 */
public record ContentMemoryPlan(EnginePlan engine, long modelBytes, long vocabularyBytes, long countedBytes, long itemIdBytes, int dimension,
                                boolean legacy, HnswParameters hnsw) {
    /** One neighbours record batch: item, neighbour (int32), score (float32), rank (int16) and validity bits. */
    private static final long WRITER_BATCH_BYTES = TableWriter.BATCH_ROWS * (4L + 4 + 4 + 2 + 1);
    static final String PASS_2 = "tf-idf matrix (pass 2)";
    static final String TRANSPOSE = "transpose";
    static final String SIMILARITY = "similarity";

    /** Without vectors, or with the exact vector search. */
    public ContentMemoryPlan(EnginePlan engine, long modelBytes, long vocabularyBytes, long countedBytes, long itemIdBytes, int dimension,
                             boolean legacy) {
        this(engine, modelBytes, vocabularyBytes, countedBytes, itemIdBytes, dimension, legacy, null);
    }

    public boolean vectors() {
        return dimension > 0;
    }

    public MemoryPlan plan(int batch) {
        long items = engine.rows();
        long matrix = TfidfMatrixBuilder.bytesFor(items, engine.nnz());
        long textHashes = ItemTextHashes.heapBytes(items);
        MemoryPlan plan = new MemoryPlan()
                .heap("tf-idf model", modelBytes)
                .phase(PASS_2, phase -> phase.heap("vocabulary and its term columns", vocabularyBytes)
                        .heap("counted terms of pass 1", countedBytes)
                        .heap("tf-idf matrix and a row's scratch", matrix + TfidfMatrixBuilder.rowScratchBytes(engine.maxRowNnz())))
                .phase(TRANSPOSE, phase -> phase.heap("tf-idf matrix and transpose", engine.matrixBytes())
                        .heap("transpose's column cursors", CsrMatrix.transposeScratchBytes(engine.cols())));
        return plan.phase(SIMILARITY, phase -> {
            phase.heap("tf-idf matrix and transpose", engine.matrixBytes()).heap("item text hashes", textHashes);
            similarityParts(phase, batch);
        }).offHeap("item ids", itemIdBytes).offHeap("writer batches", (vectors() ? 2 : 1) * WRITER_BATCH_BYTES);
    }

    /** What the search adds to the matrices: the engine's, the legacy full matrix, or the vectors' and the blend's. */
    private void similarityParts(MemoryPlan.Phase phase, int batch) {
        long items = engine.rows();
        if (vectors() && hnsw != null) {
            phase.heap("vectors (row-major, normalised in place)", UnitRows.bytesFor(items, dimension))
                    .heap("HNSW graph (M=" + hnsw.m() + ")", HnswIndex.graphBytes(items, hnsw.m()))
                    .heap("text engine workspace (each row's text top K)", engine.workspaceBytes())
                    .heap("per-thread HNSW search scratch and pair scores",
                            engine.threads() * HnswBlendSearch.threadBytes(items, engine.cols(), engine.k(), hnsw.efSearch()))
                    .heap("block results", VectorBlendSearch.blockBytes(batch, engine.k()));
        } else if (vectors()) {
            phase.heap("vectors (normalised copy while loading)", 2 * ItemVectors.bytesFor(items, dimension))
                    .heap("text engine workspace (each row's text top K)", engine.workspaceBytes())
                    .heap("per-thread dense scores, accumulators and pair scores",
                            engine.threads() * VectorBlendSearch.threadBytes(items, engine.cols(), dimension, engine.k()))
                    .heap("block results", VectorBlendSearch.blockBytes(batch, engine.k()));
        } else if (legacy) {
            phase.heap("full N×N score matrix (USE_LEGACY_SIMILARITY=1)", DenseReference.bytesNeeded(Math.toIntExact(items)) + 8L * items + 8L * items);
        } else {
            phase.heap("engine workspace", engine.workspaceBytes())
                    .heap("block results", engine.blockBytes(batch));
        }
    }

    /**
     * The batch size to run with: the requested one (empty: {@code auto}, the largest that fits,
     * at most one block of all items); exit 4 when it, or with {@code auto} a batch of one row, does not fit.
     */
    public int chooseBatch(OptionalInt requested, MemoryBudget budget) {
        return BatchSizeChoice.choose(requested, Math.toIntExact(engine.rows()), this::plan, budget, advice());
    }

    /** What to change when the plan does not fit; sharding does not help, since every shard needs the whole matrix. */
    String advice() {
        StringBuilder advice = new StringBuilder("raise the memory limit (CONTENT_SIMILARITY_MEMORY_LIMIT, or the pod's limit)");
        if (legacy && !vectors()) {
            advice.append(", or set USE_LEGACY_SIMILARITY=0 (the sparse engine needs no N×N matrix)");
        }
        advice.append(", or shrink the matrix with a lower TFIDF_MAX_DF (e.g. 0.5) or TFIDF_MAX_FEATURES");
        advice.append(", or lower SIMILARITY_THREADS (each thread holds item-sized scratch)");
        if (vectors() && hnsw != null) {
            advice.append(", or lower VECTOR_HNSW_M (the graph holds about 2·M neighbours per item)");
        }
        if (vectors()) {
            advice.append(", or set USE_FAISS_RECALL=0 to skip the vectors");
        }
        return advice.toString();
    }
}
