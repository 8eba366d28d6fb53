package dev.recstage.content.tfidf;

import dev.recstage.content.text.TextRules;
import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.cli.StageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * {@code tfidf_model.arrow}: a {@link TfidfModel} as an Arrow table ({@link Schemas#tfidfModel}),
 * the number of fitted documents, the parameters and the text rules ({@link TextRules#describe})
 * in the schema metadata.
 */
public final class TfidfModelFile {
    public static final String FILE_NAME = "tfidf_model.arrow";
    static final String DOCUMENTS_KEY = "n_docs";
    /** Names the tokenisation rules, so that a model is never applied with other rules unnoticed. */
    static final String ANALYZER_KEY = "analyzer";
    static final String ANALYZER = "word2+cjk-bigram/1";

    private TfidfModelFile() {
    }

    public static void write(Path file, TfidfModel model, BufferAllocator allocator) {
        Map<String, String> metadata = new java.util.HashMap<>(model.parameters().describe());
        metadata.putAll(model.rules().describe());
        metadata.put(DOCUMENTS_KEY, Long.toString(model.documents()));
        metadata.put(ANALYZER_KEY, ANALYZER);
        try (TableWriter table = TableWriter.open(file, Schemas.tfidfModel(metadata), allocator)) {
            VarCharVector terms = table.vector("term", VarCharVector.class);
            IntVector df = table.vector("df", IntVector.class);
            Float4Vector idf = table.vector("idf", Float4Vector.class);
            int pending = 0;
            for (int c = 0; c < model.size(); c++) {
                terms.setSafe(pending, model.terms()[c].getBytes(StandardCharsets.UTF_8));
                df.setSafe(pending, model.df()[c]);
                idf.setSafe(pending, model.idf()[c]);
                if (++pending == TableWriter.BATCH_ROWS) {
                    table.writeBatch(pending);
                    pending = 0;
                }
            }
            if (pending > 0 || table.rows() == 0) {
                table.writeBatch(pending);
            }
        }
    }

    /**
     * Exit 3 when the file is missing, of another table or schema version, or inconsistent.
     *
     * @param unrecordedFields the fields of a model written before the text rules were recorded,
     *                         which was made with weight 1 on each, no stop words, digit tokens kept
     */
    public static TfidfModel read(Path file, List<String> unrecordedFields, BufferAllocator allocator) {
        try (TableReader reader = TableReader.open(file, Schemas.TFIDF_MODEL, allocator)) {
            Map<String, String> metadata = reader.schema().getCustomMetadata();
            if (!ANALYZER.equals(metadata.get(ANALYZER_KEY))) {
                throw StageException.input(file + ": made with tokenisation '" + metadata.get(ANALYZER_KEY) + "', this version uses '"
                        + ANALYZER + "': fit a new model (run without --model)");
            }
            long documents = Long.parseLong(required(file, metadata, DOCUMENTS_KEY));
            TfidfParameters parameters = parameters(file, metadata);
            TextRules rules = rules(file, metadata, unrecordedFields);
            List<String> terms = new ArrayList<>();
            List<Integer> dfs = new ArrayList<>();
            List<Float> idfs = new ArrayList<>();
            while (reader.next()) {
                VarCharVector term = reader.vector("term", VarCharVector.class);
                IntVector df = reader.vector("df", IntVector.class);
                Float4Vector idf = reader.vector("idf", Float4Vector.class);
                for (int r = 0; r < reader.root().getRowCount(); r++) {
                    terms.add(new String(term.get(r), StandardCharsets.UTF_8));
                    dfs.add(df.get(r));
                    idfs.add(idf.get(r));
                }
            }
            int[] df = new int[dfs.size()];
            float[] idf = new float[idfs.size()];
            for (int c = 0; c < df.length; c++) {
                df[c] = dfs.get(c);
                idf[c] = idfs.get(c);
                if (!(idf[c] > 0f) || !Float.isFinite(idf[c])) {
                    throw StageException.input(file + ": idf of '" + terms.get(c) + "' is " + idf[c] + ", not a positive number");
                }
            }
            return new TfidfModel(terms.toArray(String[]::new), df, idf, documents, parameters, rules);
        } catch (NumberFormatException e) {
            throw StageException.input(file + ": unreadable model metadata (" + e.getMessage() + ")", e);
        }
    }

    private static TfidfParameters parameters(Path file, Map<String, String> metadata) {
        String maxFeatures = required(file, metadata, "max_features");
        return new TfidfParameters(
                DfBound.parse("min_df in " + file, required(file, metadata, "min_df")),
                DfBound.parse("max_df in " + file, required(file, metadata, "max_df")),
                Boolean.parseBoolean(required(file, metadata, "sublinear_tf")),
                maxFeatures.equals("none") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(maxFeatures)));
    }

    private static TextRules rules(Path file, Map<String, String> metadata, List<String> unrecordedFields) {
        try {
            TextRules rules = TextRules.fromDescription(metadata);
            return rules != null ? rules : TextRules.sklearnEqual(unrecordedFields);
        } catch (IllegalArgumentException e) {
            throw StageException.input(file + ": unreadable text rules in the model metadata: " + e.getMessage(), e);
        }
    }

    private static String required(Path file, Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null) {
            throw StageException.input(file + ": model metadata has no '" + key + "'");
        }
        return value;
    }
}
