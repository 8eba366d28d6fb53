package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.content.text.ItemDocuments;
import dev.recstage.content.text.TextRules;
import dev.recstage.content.text.TextRules.DigitTokens;
import dev.recstage.content.text.TextRules.StopWords;
import dev.recstage.content.text.TextRules.WeightedField;
import dev.recstage.content.tfidf.CountedDocuments;
import dev.recstage.content.tfidf.DfBound;
import dev.recstage.content.tfidf.FirstPass;
import dev.recstage.content.tfidf.TermCounts;
import dev.recstage.content.tfidf.TfidfMatrixBuilder;
import dev.recstage.content.tfidf.TfidfModel;
import dev.recstage.content.tfidf.TfidfParameters;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.features.FeaturesInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TF-IDF matrix under field weights, stop words and digit-token dropping, against an oracle
 * written from the documented rules in double precision: a term's tf is Σ over fields of
 * weight · occurrences, its df the documents holding it, smooth idf, optional 1 + ln(tf), rows
 * L2-normalised. Random ASCII documents, random weights (whole and fractional), every option.
 */
class TextRulesTfidfOracleTest {
    /** sklearn's (?u)\b\w\w+\b on ASCII text. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]{2,}");
    /** Lucene's English stop set (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET), written out independently. */
    private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into",
            "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to",
            "was", "will", "with");
    private static final String[] POOL = {"the", "The", "of", "and", "in", "into", "not", "with", "was", "godfather", "matrix",
        "toy", "story", "1972", "1999", "42", "007", "2nd", "x86", "R2-D2", "Sci-Fi", "drama", "war", "peace", "star", "wars",
        "(1972)", "crime|drama", "it's", "v2.0", "Part II", "a", "I", "_id", "zebra", "quiet", "river"};
    private static final List<String> ALL_FIELDS = TextRules.KNOWN_FIELDS;

    @TempDir
    Path work;

    @Test
    void weightedCountsStopWordsAndDigitRulesMatchTheOracle() {
        Random random = new Random(2026);
        for (int round = 0; round < 24; round++) {
            List<FeaturesFixture.Item> items = items(random, 50 + random.nextInt(250));
            boolean sublinear = round % 3 == 2;
            List<String> fields = round % 4 == 3 ? List.of("tags", "title") : ALL_FIELDS;
            List<WeightedField> weighted = new ArrayList<>();
            for (String field : fields) {
                double weight = round % 2 == 0 ? 1 + random.nextInt(4) : 0.25 + 3 * random.nextDouble();
                weighted.add(new WeightedField(field, sublinear ? Math.max(1, weight) : weight));
            }
            TextRules rules = new TextRules(weighted, StopWords.values()[random.nextInt(2)], DigitTokens.values()[random.nextInt(2)]);
            TfidfParameters parameters = new TfidfParameters(DfBound.parse("min", "1"), DfBound.parse("max", "1.0"), sublinear,
                    OptionalInt.empty());
            Path dir = work.resolve("round" + round);
            FeaturesFixture.write(dir, items, null);
            compare(items, rules, parameters, dir, "round " + round + " " + rules + " sublinear=" + sublinear);
        }
    }

    private static List<FeaturesFixture.Item> items(Random random, int count) {
        List<FeaturesFixture.Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(new FeaturesFixture.Item("i" + i, text(random, 4), text(random, 10), text(random, 3), text(random, 2)));
        }
        return items;
    }

    private static String text(Random random, int maxWords) {
        int words = random.nextInt(maxWords + 1);
        if (words == 0 && random.nextBoolean()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            text.append(w == 0 ? "" : " ").append(POOL[(int) Math.floor(Math.pow(POOL.length, random.nextDouble()))]);
        }
        return text.toString();
    }

    private static void compare(List<FeaturesFixture.Item> items, TextRules rules, TfidfParameters parameters, Path dir, String label) {
        TermCounts counts = TermCounts.open();
        TfidfModel model;
        CsrMatrix matrix;
        try (BufferAllocator allocator = new RootAllocator()) {
            CountedDocuments counted = FirstPass.count(new ItemDocuments(FeaturesInput.open(dir), rules), items.size(), counts,
                    held -> { }, allocator);
            model = TfidfModel.fit(counts, parameters, rules);
            int[] columnOfId = counts.columnsOf(model.terms());
            matrix = TfidfMatrixBuilder.build(counted, columnOfId, model, TfidfMatrixBuilder.nnz(counted, columnOfId));
        }

        List<Map<String, Double>> tf = new ArrayList<>();
        Map<String, Integer> df = new TreeMap<>();
        for (FeaturesFixture.Item item : items) {
            Map<String, Double> counted = new HashMap<>();
            for (WeightedField field : rules.fields()) {
                String value = valueOf(item, field.name());
                for (Matcher m = WORD.matcher(value == null ? "" : value); m.find(); ) {
                    String token = m.group().toLowerCase(Locale.ROOT);
                    boolean stop = rules.stopWords() == StopWords.ENGLISH && STOP.contains(token);
                    boolean digits = rules.digitTokens() == DigitTokens.DROP && token.matches("[0-9]+");
                    if (!stop && !digits) {
                        counted.merge(token, field.weight(), Double::sum);
                    }
                }
            }
            counted.keySet().forEach(term -> df.merge(term, 1, Integer::sum));
            tf.add(counted);
        }
        assertArrayEquals(new TreeSet<>(df.keySet()).toArray(String[]::new), model.terms(), label + ": vocabulary");
        Map<String, Integer> column = new HashMap<>();
        for (int c = 0; c < model.size(); c++) {
            column.put(model.terms()[c], c);
        }
        int n = items.size();
        for (int d = 0; d < n; d++) {
            Map<String, Double> weights = new HashMap<>();
            double sumSquares = 0;
            for (Map.Entry<String, Double> e : tf.get(d).entrySet()) {
                double termFrequency = parameters.sublinearTf() ? 1 + Math.log(e.getValue()) : e.getValue();
                double weight = termFrequency * (Math.log((1.0 + n) / (1.0 + df.get(e.getKey()))) + 1);
                weights.put(e.getKey(), weight);
                sumSquares += weight * weight;
            }
            assertEquals(weights.size(), matrix.rowNnz(d), label + ": terms of document " + d);
            double norm = Math.sqrt(sumSquares);
            for (int p = matrix.rowStart(d); p < matrix.rowEnd(d); p++) {
                String term = model.terms()[matrix.colAt(p)];
                assertTrue(weights.containsKey(term), label + ": document " + d + " holds " + term);
                assertEquals(weights.get(term) / norm, matrix.valueAt(p), 1e-6, label + ": document " + d + ", term " + term);
                assertEquals(column.get(term), matrix.colAt(p));
            }
        }
    }

    private static String valueOf(FeaturesFixture.Item item, String field) {
        return switch (field) {
            case "title" -> item.title();
            case "description" -> item.description();
            case "tags" -> item.tags();
            case "category" -> item.category();
            default -> throw new IllegalArgumentException(field);
        };
    }
}
