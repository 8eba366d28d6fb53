package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.content.text.ContentAnalyzer;
import dev.recstage.content.text.ItemDocuments;
import dev.recstage.content.text.TextRules;
import dev.recstage.content.tfidf.CountedDocuments;
import dev.recstage.content.tfidf.FirstPass;
import dev.recstage.content.tfidf.TermCounts;
import dev.recstage.core.features.FeaturesInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one tokenising pass: what it keeps of each item, and that it checks its budget as it grows. */
class FirstPassTest {
    private static final List<String> FIELDS = List.of("title", "description", "tags", "category");

    @TempDir
    Path work;

    private ItemDocuments documents(List<FeaturesFixture.Item> items) {
        FeaturesFixture.write(work, items, null);
        return new ItemDocuments(FeaturesInput.open(work), TextRules.sklearnEqual(FIELDS));
    }

    @Test
    void eachItemKeepsItsDistinctTermsWithTheirCounts() {
        List<FeaturesFixture.Item> items = FeaturesFixture.generatedItems(3000, 11);
        TermCounts counts = TermCounts.open();
        CountedDocuments counted;
        try (BufferAllocator allocator = new RootAllocator()) {
            counted = FirstPass.count(documents(items), items.size(), counts, held -> { }, allocator);
        }
        // Oracle: the analyzer's tokens of each item, counted in a map; term ids mapped back to terms.
        Map<Integer, String> termOfId = new HashMap<>();
        counts.forEach((term, df, tf) -> termOfId.put(counts.add(term.toCharArray(), term.length(), 1.0), term));
        ContentAnalyzer analyzer = new ContentAnalyzer();
        int longest = 0;
        for (int d = 0; d < items.size(); d++) {
            FeaturesFixture.Item item = items.get(d);
            Map<String, Float> expected = new TreeMap<>();
            for (String value : new String[] {item.title(), item.description(), item.tags(), item.category()}) {
                if (value != null) {
                    analyzer.tokens(value).forEach(token -> expected.merge(token, 1f, Float::sum));
                }
            }
            Map<String, Float> found = new TreeMap<>();
            int previousId = -1;
            for (int entry = counted.start(d); entry < counted.start(d + 1); entry++) {
                assertTrue(counted.id(entry) > previousId, "ids ascending within an item");
                previousId = counted.id(entry);
                found.put(termOfId.get(counted.id(entry)), counted.count(entry));
            }
            assertEquals(expected, found, "item " + d);
            longest = Math.max(longest, expected.size());
        }
        assertEquals(items.size(), counted.documents());
        assertEquals(longest, counted.maxDocumentTerms());
    }

    @Test
    void theBudgetIsCheckedAsThePassGrowsAndCanStopIt() {
        List<FeaturesFixture.Item> items = FeaturesFixture.generatedItems(20_000, 5);
        List<Long> checks = new ArrayList<>();
        RuntimeException stop = new RuntimeException("over budget");
        long limit = 1L << 20;
        try (BufferAllocator allocator = new RootAllocator()) {
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> FirstPass.count(documents(items), items.size(),
                    TermCounts.open(), held -> {
                        checks.add(held);
                        if (held > limit) {
                            throw stop;
                        }
                    }, allocator));
            assertSame(stop, thrown);
        }
        assertTrue(checks.size() >= 2, "checked more than once: " + checks);
        for (int i = 1; i < checks.size(); i++) {
            assertTrue(checks.get(i) >= checks.get(i - 1), "the held heap only grows: " + checks);
        }
        assertTrue(checks.get(checks.size() - 2) <= limit && checks.get(checks.size() - 1) > limit);
    }
}
