package dev.recstage.content.tfidf;

import dev.recstage.content.text.ItemDocuments;
import dev.recstage.core.cli.StageException;
import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;

/** The one pass over the items' text: tokenised and counted; {@link TfidfMatrixBuilder} then weighs the counts without the text. */
public final class FirstPass {
    /** Heap growth of the first pass between two checks of its budget. */
    private static final long CHECK_EVERY_BYTES = 256L << 10;

    private FirstPass() {
    }

    /**
     * Document frequencies and term counts into {@code counts}, and each document's counted terms.
     *
     * @param heapCheck told the heap the pass holds (vocabulary and counted documents) as it grows,
     *                  before each large allocation: it ends the run when that no longer fits
     */
    public static CountedDocuments count(ItemDocuments documents, int items, TermCounts counts, LongConsumer heapCheck,
                                         BufferAllocator allocator) {
        CountedDocuments counted = new CountedDocuments(items, documents.rules().weights(), bytes -> heapCheck.accept(counts.estimatedBytes() + bytes));
        double[] weights = documents.rules().weights();
        documents.forEach(allocator, new ItemDocuments.Visitor() {
            private long nextCheck = CHECK_EVERY_BYTES;

            @Override
            public void startDocument(int item) {
                counts.startDocument();
            }

            @Override
            public void token(char[] buffer, int length, int field) {
                int id = counts.add(buffer, length, weights[field]);
                if (id >= 0) {
                    counted.add(id, field);
                }
            }

            @Override
            public void endDocument() {
                counted.endDocument();
                long held = counts.estimatedBytes() + counted.allocatedBytes();
                if (held >= nextCheck) {
                    heapCheck.accept(held);
                    nextCheck = held + CHECK_EVERY_BYTES;
                }
            }
        });
        if (counted.documents() != items) {
            throw StageException.input(documents.file() + " holds " + counted.documents() + " items but its manifest says " + items);
        }
        return counted;
    }

}
