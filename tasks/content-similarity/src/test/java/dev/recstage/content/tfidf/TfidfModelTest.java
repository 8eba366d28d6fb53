package dev.recstage.content.tfidf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recstage.content.text.TextRules;
import dev.recstage.core.cli.StageException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** sklearn's fit rules on a corpus small enough to check by hand. */
class TfidfModelTest {
    /** df: apple 1, banana 2, cherry 2, date 1; tf: apple 2, banana 2, cherry 3, date 1; 4 documents. */
    private static TermCounts corpus() {
        TermCounts counts = TermCounts.open();
        for (String document : new String[] {"apple banana apple", "banana cherry", "cherry cherry date", ""}) {
            counts.startDocument();
            for (String token : document.split(" ")) {
                if (!token.isEmpty()) {
                    counts.add(token.toCharArray(), token.length(), 1.0);
                }
            }
        }
        return counts;
    }

    private static TfidfModel fit(String minDf, String maxDf, Integer maxFeatures) {
        return TfidfModel.fit(corpus(), new TfidfParameters(DfBound.parse("TFIDF_MIN_DF", minDf), DfBound.parse("TFIDF_MAX_DF", maxDf),
                false, maxFeatures == null ? OptionalInt.empty() : OptionalInt.of(maxFeatures)), TextRules.sklearnEqual(List.of("title")));
    }

    @Test
    void defaultsKeepEveryTermSortedWithSmoothIdf() {
        TfidfModel model = fit("1", "1.0", null);
        assertArrayEquals(new String[] {"apple", "banana", "cherry", "date"}, model.terms());
        assertArrayEquals(new int[] {1, 2, 2, 1}, model.df());
        assertEquals((float) (Math.log(5.0 / 2.0) + 1), model.idf()[0]);
        assertEquals((float) (Math.log(5.0 / 3.0) + 1), model.idf()[1]);
        assertEquals(4, model.documents());
    }

    @Test
    void anIntegerIsADocumentCountAndADecimalAProportion() {
        assertArrayEquals(new String[] {"apple", "date"}, fit("1", "1", null).terms());
        assertArrayEquals(new String[] {"apple", "banana", "cherry", "date"}, fit("1", "0.5", null).terms());
        assertArrayEquals(new String[] {"apple", "date"}, fit("1", "0.25", null).terms());
        assertArrayEquals(new String[] {"banana", "cherry"}, fit("2", "1.0", null).terms());
        assertArrayEquals(new String[] {"banana", "cherry"}, fit("0.5", "1.0", null).terms());
        assertArrayEquals(new String[] {"apple", "banana", "cherry", "date"}, fit("0.0", "1.0", null).terms());
    }

    @Test
    void maxFeaturesKeepsTheMostFrequentTermsTiesByTermOrder() {
        assertArrayEquals(new String[] {"apple", "cherry"}, fit("1", "1.0", 2).terms());
        assertArrayEquals(new String[] {"cherry"}, fit("1", "1.0", 1).terms());
        assertArrayEquals(new String[] {"apple", "banana", "cherry", "date"}, fit("1", "1.0", 10).terms());
    }

    @Test
    void maxFeaturesRanksByWeightedCorpusFrequency() {
        TermCounts counts = TermCounts.open();
        counts.startDocument();
        counts.add("apple".toCharArray(), 5, 3.0); // one occurrence in a field of weight 3
        counts.startDocument();
        counts.add("banana".toCharArray(), 6, 1.0);
        counts.add("banana".toCharArray(), 6, 1.0);
        TfidfModel model = TfidfModel.fit(counts, new TfidfParameters(DfBound.parse("min", "1"), DfBound.parse("max", "1.0"), false,
                OptionalInt.of(1)), TextRules.sklearnEqual(List.of("title")));
        assertArrayEquals(new String[] {"apple"}, model.terms());
        assertArrayEquals(new int[] {1}, model.df(), "a weight changes the count, not the document frequency");
    }

    @Test
    void maxDfBelowMinDfIsRefusedAsSklearnDoes() {
        StageException e = assertThrows(StageException.class, () -> fit("2", "1", null));
        assertEquals(2, e.exitCode());
    }

    @Test
    void boundsAreValidated() {
        for (String bad : new String[] {"1.5", "-0.1", "0", "-3", "many", ""}) {
            assertEquals(2, assertThrows(StageException.class, () -> DfBound.parse("TFIDF_MAX_DF", bad)).exitCode(), bad);
        }
    }

    @Test
    void termsSortByCodePointAsPythonDoes() {
        String supplementary = new String(Character.toChars(0x20000)); // CJK Ext. B, above U+FFFF
        String privateUse = "\uE000";
        assertEquals(-1, Integer.signum(CodePointOrder.INSTANCE.compare(privateUse, supplementary)));
        assertEquals(1, Integer.signum(privateUse.compareTo(supplementary)), "String.compareTo orders UTF-16 units");
    }
}
