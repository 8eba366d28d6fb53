package dev.recstage.content;

import dev.recstage.content.incremental.IncrementalContent;
import dev.recstage.content.incremental.ItemTextHashes;
import dev.recstage.content.incremental.SpareNeighbors;
import dev.recstage.content.text.ItemDocuments;
import dev.recstage.content.tfidf.CountedDocuments;
import dev.recstage.content.tfidf.FirstPass;
import dev.recstage.content.tfidf.TermCounts;
import dev.recstage.content.tfidf.TfidfMatrixBuilder;
import dev.recstage.content.tfidf.TfidfModel;
import dev.recstage.content.tfidf.TfidfModelFile;
import dev.recstage.content.vector.BlendWeights;
import dev.recstage.content.vector.HnswBlendSearch;
import dev.recstage.content.vector.HnswIndex;
import dev.recstage.content.vector.HnswParameters;
import dev.recstage.content.vector.ItemVectors;
import dev.recstage.content.vector.UnitRows;
import dev.recstage.content.vector.VectorBlendSearch;
import dev.recstage.content.vector.VectorKernel;
import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.DenseReference;
import dev.recstage.core.engine.EnginePlan;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.PairScorer;
import dev.recstage.core.engine.RowRange;
import dev.recstage.core.engine.RowTopK;
import dev.recstage.core.engine.RunStats;
import dev.recstage.core.engine.TopKEngine;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.io.DiskPlan;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.memory.MemoryPlan;
import dev.recstage.core.progress.BatchProgress;
import dev.recstage.core.stage.StageRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** The steps of one content-similarity run, in order; the command only resolves settings and opens the run. */
final class ContentSimilarityRun {
    static final String CONTENT_FILE = "content_neighbors.arrow";
    static final String VECTOR_FILE = "vector_neighbors.arrow";

    private final StageRun run;
    /** The configured settings, or those of the saved model once it is read. */
    private ContentSettings settings;
    private final Path featuresDir;
    private final Path modelFile;
    /** {@code --previous}: the full output to merge into, or null for a full run. */
    private final Path previousDir;
    /** CONTENT_INCREMENTAL_SPARES as configured. */
    private final int requestedSpares;
    /** Neighbours kept beyond K in content_spares.arrow, for later incremental runs: text-only engine runs only. */
    private int spares;
    private final BufferAllocator allocator;
    /** What pass 1 leaves for pass 2; dropped once the matrix is built. */
    private FirstPassResult pass1;

    /**
     * The first pass's counted documents, each first-pass term id's model column, and the heap of
     * the term table with that map. The counted documents refer to the term table (their growth
     * check reads its size), so dropping this record lets the table go as well.
     */
    private record FirstPassResult(CountedDocuments counted, int[] columnOfId, long vocabularyBytes) {
    }

    ContentSimilarityRun(StageRun run, ContentSettings settings, Path featuresDir, Path modelFile, Path previousDir, int spares) {
        this.run = run;
        this.settings = settings;
        this.featuresDir = featuresDir;
        this.modelFile = modelFile;
        this.previousDir = previousDir;
        this.requestedSpares = spares;
        this.allocator = run.allocator();
    }

    void execute() {
        FeaturesInput features = FeaturesInput.open(featuresDir);
        int items = features.itemCount();
        RowRange rows = settings.shard().rows(items);
        boolean vectors = settings.vectors() && features.hasEmbeddings();
        if (settings.vectors() && !vectors) {
            run.log().infof("No %s in %s: text neighbours only", FeaturesInput.EMBEDDINGS_FILE, featuresDir);
        }
        HnswParameters hnsw = vectors ? settings.vectorIndex().hnswFor(items, settings.topK()) : null;
        spares = vectors || settings.engine().legacy() ? 0 : requestedSpares;
        run.recordInput(features.directory().file(FeaturesInput.ITEMS_FILE));
        run.recordInputRun(features.directory());
        // What the run surely writes, the neighbour rows, checked before any work; the whole plan once the model is known.
        run.requireDisk(diskPlan(null, rows, items, vectors, 0));
        TfidfModel saved = modelFile == null ? null
                : run.step("read tf-idf model " + modelFile, () -> TfidfModelFile.read(modelFile, settings.text().fieldNames(), allocator));
        if (saved != null) {
            run.recordInput(modelFile);
            useSavedModel(saved);
        }
        TfidfModel model = countAndFit(features, items, saved);
        long nnz = TfidfMatrixBuilder.nnz(pass1.counted(), pass1.columnOfId());
        run.log().infof("TF-IDF: %d items, vocabulary %d terms, %d non-zeros", items, model.size(), nnz);

        try (VarCharVector itemIds = run.step("read item ids", () -> features.itemIds(allocator))) {
            int dimension = vectors ? embeddingDimension(features) : 0;
            EnginePlan enginePlan = new EnginePlan(items, model.size(), nnz, pass1.counted().maxDocumentTerms(), settings.engine().threads(),
                    settings.topK() + spares, false);
            ContentMemoryPlan memory = new ContentMemoryPlan(enginePlan, model.estimatedBytes(), pass1.vocabularyBytes(),
                    pass1.counted().allocatedBytes(), FeaturesInput.heldBytes(itemIds), dimension, settings.engine().legacy(), hnsw);
            int batch = memory.chooseBatch(settings.engine().batchSize(), run.budget());
            run.log().infof("Memory plan (batch_size=%d): %s", batch, memory.plan(batch).describe(run.budget()));
            run.requireDisk(diskPlan(model, rows, items, vectors, itemIds.getBufferSize()));

            CsrMatrix text = run.step("build tf-idf matrix (pass 2)",
                    () -> TfidfMatrixBuilder.build(pass1.counted(), pass1.columnOfId(), model, nnz));
            // The plan's later phases hold none of pass 1: the counted documents, the term table and its columns go here.
            run.release(() -> pass1 = null);
            CsrMatrix textTransposed = run.step("transpose tf-idf matrix", text::transpose);
            run.step("write tf-idf model", () -> TfidfModelFile.write(run.outputFile(TfidfModelFile.FILE_NAME), model, allocator));
            run.recordOutput(TfidfModelFile.FILE_NAME, (long) model.size());
            long[] textHashes = run.step("hash item texts", () -> ItemTextHashes.compute(features, settings.text().fieldNames(), allocator));
            run.recordOutput(ItemTextHashes.FILE_NAME, ItemTextHashes.write(run.outputFile(ItemTextHashes.FILE_NAME), itemIds, textHashes, allocator));

            if (vectors) {
                if (previousDir != null) {
                    IncrementalContent.notMerged(run, "the content neighbours blend embedding neighbours, which an incremental run does not merge");
                }
                run.recordInput(features.directory().file(FeaturesInput.EMBEDDINGS_FILE));
                if (hnsw != null) {
                    // The index reads one vector at a time: row-major, in the array they were read into.
                    UnitRows unitRows = run.step("load and normalise vectors",
                            () -> UnitRows.inPlace(features.embeddings(allocator), items));
                    blendWithIndex(text, textTransposed, unitRows, hnsw, itemIds, rows, batch);
                } else {
                    ItemVectors itemVectors = run.step("load and normalise vectors", () -> ItemVectors.of(features.embeddings(allocator), items));
                    blendWithVectors(text, textTransposed, itemVectors, itemIds, rows, batch);
                    run.manifest().stats.put("vector_index", "exact");
                }
                run.manifest().stats.put("vector_dimension", dimension);
            } else if (previousDir != null) {
                IncrementalContent incremental = new IncrementalContent(run, settings, modelFile, CONTENT_FILE, SpareNeighbors.FILE_NAME);
                if (incremental.mergeOrRun(previousDir, text, textTransposed, itemIds, textHashes,
                        () -> textNeighbors(text, textTransposed, itemIds, rows, batch))) {
                    spares = 0; // a merged output keeps no spares: later runs merge into the full output, not into this one
                }
            } else {
                textNeighbors(text, textTransposed, itemIds, rows, batch);
            }
            describe(features, model, nnz, rows, batch, vectors);
        }
        run.commit();
    }

    /**
     * Pass 1 and the model (fitted, or the saved one): keeps what pass 2 needs in {@link #pass1}.
     * The term table is a local here, so that nothing but the counted documents holds it once this returns.
     */
    private TfidfModel countAndFit(FeaturesInput features, int items, TfidfModel saved) {
        ItemDocuments documents = new ItemDocuments(features, settings.text());
        TermCounts counts = saved == null ? TermCounts.open() : TermCounts.closed(saved.terms());
        CountedDocuments counted = run.step("count terms (pass 1)", () -> FirstPass.count(documents, items, counts, this::checkFirstPass, allocator));
        TfidfModel model = saved != null ? saved : run.step("fit tf-idf model", () -> TfidfModel.fit(counts, settings.tfidf(), settings.text()));
        int[] columnOfId = counts.columnsOf(model.terms());
        pass1 = new FirstPassResult(counted, columnOfId, counts.estimatedBytes() + 16 + 4L * columnOfId.length);
        return model;
    }

    private void textNeighbors(CsrMatrix text, CsrMatrix textTransposed, VarCharVector itemIds, RowRange rows, int batch) {
        long written;
        long spareRows = 0;
        try (NeighborsWriter writer = NeighborsWriter.open(run.outputFile(CONTENT_FILE), itemIds, allocator);
             NeighborsWriter spareWriter = spares > 0 ? NeighborsWriter.open(run.outputFile(SpareNeighbors.FILE_NAME), itemIds, allocator) : null) {
            BlockListener progress = progress(rows, batch);
            if (settings.engine().legacy()) {
                run.step("similarity (legacy full N×N matrix)", () -> DenseReference.run(text, textTransposed, PairScorer.cosine(),
                        settings.topK(), rows.from(), rows.to(), writer::accept));
                progress.blockDone(rows.size(), rows.size());
            } else {
                // With spares the engine's top K + E, whose first K are its top K: the neighbours file is the same.
                NeighborSink sink = spares > 0 ? new SpareNeighbors(writer, spareWriter, settings.topK(), spares) : writer::accept;
                TopKEngine engine = new TopKEngine(settings.engine().threads(), batch);
                RunStats stats = run.step("similarity", () -> engine.run(text, textTransposed, PairScorer.cosine(), settings.topK() + spares,
                        rows.from(), rows.to(), sink, progress));
                run.manifest().stats.put("engine", Map.of("pruned", stats.pruned(), "postings_scanned", stats.postingsScanned(),
                        "dense_ops", stats.denseOps(), "approximated_rows", stats.approximatedRows(),
                        "candidates", stats.candidates(), "rescored", stats.rescored(), "early_stops", stats.earlyStops()));
            }
            written = writer.rows();
            spareRows = spareWriter == null ? 0 : spareWriter.rows();
        }
        run.recordOutput(CONTENT_FILE, written);
        if (spares > 0) {
            run.recordOutput(SpareNeighbors.FILE_NAME, spareRows);
        }
    }

    private void blendWithVectors(CsrMatrix text, CsrMatrix textTransposed, ItemVectors vectors, VarCharVector itemIds,
                                  RowRange rows, int batch) {
        BlendWeights weights = new BlendWeights(settings.textWeight(), settings.vectorWeight());
        VectorBlendSearch search = new VectorBlendSearch(vectors, text, textTransposed, textSearches(text, textTransposed, batch), weights,
                settings.engine().threads(), batch, settings.topK());
        writeVectorsAndBlend("similarity (vectors and blend)", search::run, itemIds, rows, batch);
        run.manifest().stats.put("items_with_vectors", vectors.withVector());
        run.manifest().stats.put("blend_full_text_rows", search.fullTextRows());
        run.manifest().stats.put("blend_text_sums", search.textSums());
        // The kernel's share of the step (the rest: text scores of the blend, top-K selection, writing).
        double kernelSeconds = search.kernelCpuSeconds();
        double gigaflops = 2.0 * rows.size() * vectors.items() * vectors.dimension() / 1e9;
        run.manifest().stats.put("vector_kernel_cpu_seconds", Math.round(kernelSeconds * 1000) / 1000.0);
        String alignment = vectors.lineAlignment();
        run.manifest().stats.put("vector_panels_line_alignment", alignment);
        run.manifest().stats.put("vector_panels_realigned", vectors.realignments());
        run.log().infof("vector kernel: %.2f CPU seconds over %d threads, %.1f GFLOP/s per CPU second; vectors on cache lines: %s at the end "
                + "(realigned %d× after the collector moved them)", kernelSeconds, settings.engine().threads(), gigaflops / kernelSeconds,
                alignment, vectors.realignments());
    }

    /** The text engine's single-row searches, for the blend's text candidates: the lists a text-only run writes. */
    private Supplier<RowTopK> textSearches(CsrMatrix text, CsrMatrix textTransposed, int batch) {
        return new TopKEngine(settings.engine().threads(), batch).rowSearches(text, textTransposed, PairScorer.cosine(), settings.topK());
    }

    private void blendWithIndex(CsrMatrix text, CsrMatrix textTransposed, UnitRows unitRows, HnswParameters hnsw, VarCharVector itemIds,
                                RowRange rows, int batch) {
        HnswIndex index = run.step("build hnsw index", () -> HnswIndex.build(unitRows, hnsw,
                (done, total) -> run.log().infof("hnsw index: %d of %d vectors added", done, total)));
        run.log().infof("hnsw index: %d vectors, %d levels, %d MiB of graph (M=%d, ef_construction=%d, seed=%d)", unitRows.size(),
                index.levels(), index.graphBytesUsed() >> 20, hnsw.m(), hnsw.efConstruction(), hnsw.seed());
        HnswBlendSearch search = new HnswBlendSearch(unitRows, index, text, textSearches(text, textTransposed, batch),
                new BlendWeights(settings.textWeight(), settings.vectorWeight()), settings.engine().threads(), batch, settings.topK(),
                hnsw.efSearch());
        writeVectorsAndBlend("similarity (hnsw vectors and blend)", search::run, itemIds, rows, batch);
        run.manifest().stats.put("items_with_vectors", unitRows.size());
        run.manifest().stats.put("vector_index", "hnsw");
        Map<String, Object> parameters = new LinkedHashMap<>(hnsw.describe());
        parameters.put("levels", index.levels());
        parameters.put("graph_bytes", index.graphBytesUsed());
        run.manifest().stats.put("vector_index_parameters", parameters);
        double visitedPerRow = rows.size() == 0 ? 0 : (double) search.visited() / rows.size();
        run.manifest().stats.put("vector_index_visited_per_row", Math.round(visitedPerRow));
        run.log().infof("hnsw search: %.0f vectors scored per item (the exact search scores %d)", visitedPerRow, unitRows.size());
    }

    /** A search that gives each row's vector neighbours and its text+vector blend (exact or through the index). */
    private interface VectorAndBlendSearch {
        void run(int fromRow, int toRow, NeighborSink vectorSink, NeighborSink blendSink, BlockListener progress);
    }

    /** Runs the search as the step {@code step}, writing vector_neighbors.arrow and content_neighbors.arrow. */
    private void writeVectorsAndBlend(String step, VectorAndBlendSearch search, VarCharVector itemIds, RowRange rows, int batch) {
        String kernel = VectorKernel.kind();
        run.manifest().stats.put("vector_kernel", kernel);
        if (kernel.equals("plain")) {
            run.log().info("vector scores in plain Java, about 13x slower: this JVM was started without"
                    + " --add-modules=jdk.incubator.vector (bin/recstage and the JVM image add it for vector runs)");
        }
        long vectorRows;
        long contentRows;
        try (NeighborsWriter vectorWriter = NeighborsWriter.open(run.outputFile(VECTOR_FILE), itemIds, allocator);
             NeighborsWriter contentWriter = NeighborsWriter.open(run.outputFile(CONTENT_FILE), itemIds, allocator)) {
            BlockListener progress = progress(rows, batch);
            run.step(step, () -> search.run(rows.from(), rows.to(), vectorWriter::accept, contentWriter::accept, progress));
            vectorRows = vectorWriter.rows();
            contentRows = contentWriter.rows();
        }
        run.recordOutput(VECTOR_FILE, vectorRows);
        run.recordOutput(CONTENT_FILE, contentRows);
    }

    /**
     * Scores as the model was fitted: with its text rules and TF-IDF parameters, which decide the
     * weights as much as its idf does. Configured values that differ are reported and not used.
     */
    private void useSavedModel(TfidfModel saved) {
        ContentSettings scoring = settings.scoredWith(saved);
        Map<String, String> configured = settings.describe();
        scoring.describe().forEach((key, value) -> {
            if (!value.equals(configured.get(key))) {
                run.log().warnf("%s=%s is not used: the model %s was made with %s=%s, which scoring keeps",
                        key, configured.get(key), modelFile, key, value);
            }
        });
        settings = scoring;
    }

    /**
     * What the run writes: the model (left out while unknown), the items' text hashes and, for every
     * item of the shard, at most K neighbours in each neighbours file and at most E spares, with the
     * item ids ({@code idBytes}) as their dictionaries.
     */
    private DiskPlan diskPlan(TfidfModel model, RowRange rows, int items, boolean vectors, long idBytes) {
        int others = Math.max(items - 1, 0);
        long neighborRows = (long) rows.size() * Math.min(settings.topK(), others);
        DiskPlan plan = new DiskPlan();
        if (model != null) {
            plan.file(TfidfModelFile.FILE_NAME, TfidfModelFile.estimatedBytes(model));
        }
        plan.file(ItemTextHashes.FILE_NAME, ItemTextHashes.estimatedBytes(items, idBytes));
        if (spares > 0) {
            plan.file(SpareNeighbors.FILE_NAME, NeighborsWriter.estimatedBytes((long) rows.size() * Math.min(spares, others), idBytes));
        }
        plan.file(CONTENT_FILE, NeighborsWriter.estimatedBytes(neighborRows, idBytes));
        return vectors ? plan.file(VECTOR_FILE, NeighborsWriter.estimatedBytes(neighborRows, idBytes)) : plan;
    }

    /** Ends the run with exit 4 when the first pass has grown past the budget, before it runs out of heap. */
    private void checkFirstPass(long heapBytes) {
        new MemoryPlan().heap("first pass (vocabulary and counted terms of the items read so far)", heapBytes)
                .requireFits(run.budget(), "the first pass keeps every distinct term of the items' text and each item's term counts: "
                        + "raise the memory limit (CONTENT_SIMILARITY_MEMORY_LIMIT, or the pod's limit) or the heap share (JVM_MAX_RAM_PERCENTAGE)");
    }

    private BlockListener progress(RowRange rows, int batch) {
        return BatchProgress.announce(rows.size(), batch, settings.topK(), run.log()::info);
    }

    private int embeddingDimension(FeaturesInput features) {
        try (TableReader reader = TableReader.open(features.directory().file(FeaturesInput.EMBEDDINGS_FILE), Schemas.EMBEDDINGS, allocator)) {
            return ((ArrowType.FixedSizeList) reader.schema().findField("embedding").getType()).getListSize();
        }
    }

    private void describe(FeaturesInput features, TfidfModel model, long nnz, RowRange rows, int batch, boolean vectors) {
        Manifest manifest = run.manifest();
        manifest.config.putAll(settings.describe());
        manifest.config.put("effective_batch_size", Integer.toString(batch));
        manifest.config.put("model", modelFile == null ? "fitted" : modelFile.toString());
        manifest.config.put("vectors_used", vectors ? "1" : "0");
        manifest.config.put("CONTENT_INCREMENTAL_SPARES", Integer.toString(spares));
        int items = features.itemCount();
        manifest.counts.put("items", new Manifest.RowCounts(items, items, Map.of()));
        manifest.stats.put("items", items);
        manifest.stats.put("rows_from", rows.from());
        manifest.stats.put("rows_to", rows.to());
        manifest.stats.put("vocabulary_size", model.size());
        manifest.stats.put("model_documents", model.documents());
        manifest.stats.put("nnz", nnz);
    }
}
