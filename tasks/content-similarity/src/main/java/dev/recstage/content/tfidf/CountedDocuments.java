package dev.recstage.content.tfidf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * What the first pass keeps of each document so that the second pass needs no second tokenising:
 * its distinct term ids with their weighted counts ({@code Σ over fields weight · occurrences},
 * summed in double, stored as float: exact for whole weights), ids ascending, documents in order.
 * Entries are stored in fixed-size pages, so that the record grows without copies and holds little
 * more than it uses.
 */
public final class CountedDocuments {
    private static final int PAGE_BITS = 16;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    /** Heap of one more page of ids and one of counts. */
    static final long PAGE_BYTES = 8L * PAGE_SIZE;

    private final LongConsumer beforeGrowth;
    private final double[] fieldWeights;
    private final int[] documentStart;
    private final List<int[]> idPages = new ArrayList<>();
    private final List<float[]> countPages = new ArrayList<>();
    private int documents;
    private long entries;
    private int maxDocumentTerms;
    /** The current document's occurrences, each its term id (high half) and field (low half). */
    private long[] current = new long[256];
    private int currentLength;

    /**
     * @param capacity     the number of documents that will be added
     * @param fieldWeights the weight of each field index that {@link #add} is given
     * @param beforeGrowth told the heap bytes the record will hold after its next page, before it allocates it
     */
    public CountedDocuments(int capacity, double[] fieldWeights, LongConsumer beforeGrowth) {
        this.documentStart = new int[capacity + 1];
        this.fieldWeights = fieldWeights.clone();
        this.beforeGrowth = beforeGrowth;
    }

    /** Heap held now: the document index, the pages and the current document's scratch. */
    public long allocatedBytes() {
        return 4L * documentStart.length + PAGE_BYTES * idPages.size() + 8L * current.length;
    }

    /** Adds one occurrence of a term, seen in field {@code field}, to the current document. */
    public void add(int termId, int field) {
        if (currentLength == current.length) {
            current = Arrays.copyOf(current, currentLength * 2);
        }
        current[currentLength++] = (long) termId << 32 | field;
    }

    /** Ends the current document: its ids sorted and counted. */
    public void endDocument() {
        if (documents == documentStart.length - 1) {
            throw new IllegalStateException("more documents than the " + documents + " announced");
        }
        Arrays.sort(current, 0, currentLength);
        int distinct = 0;
        for (int p = 0; p < currentLength; ) {
            int id = (int) (current[p] >>> 32);
            double count = 0;
            while (p < currentLength && (int) (current[p] >>> 32) == id) {
                long occurrence = current[p];
                int inField = 0;
                while (p < currentLength && current[p] == occurrence) {
                    p++;
                    inField++;
                }
                count += fieldWeights[(int) occurrence] * inField;
            }
            append(id, (float) count);
            distinct++;
        }
        if (entries > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the items' text has more than " + (Integer.MAX_VALUE - 8)
                    + " (item, term) entries, more than one matrix can hold: split the catalogue");
        }
        documentStart[++documents] = (int) entries;
        maxDocumentTerms = Math.max(maxDocumentTerms, distinct);
        currentLength = 0;
    }

    private void append(int id, float count) {
        int offset = (int) (entries & PAGE_MASK);
        if (offset == 0 && entries >> PAGE_BITS == idPages.size()) {
            beforeGrowth.accept(allocatedBytes() + PAGE_BYTES);
            idPages.add(new int[PAGE_SIZE]);
            countPages.add(new float[PAGE_SIZE]);
        }
        idPages.get((int) (entries >> PAGE_BITS))[offset] = id;
        countPages.get((int) (entries >> PAGE_BITS))[offset] = count;
        entries++;
    }

    public int documents() {
        return documents;
    }

    /** Most distinct terms in one document: a bound on the longest matrix row. */
    public int maxDocumentTerms() {
        return maxDocumentTerms;
    }

    /** First entry of document {@code d}; its entries end where document {@code d + 1}'s begin. */
    public int start(int d) {
        return documentStart[d];
    }

    public int id(int entry) {
        return idPages.get(entry >>> PAGE_BITS)[entry & PAGE_MASK];
    }

    /** The weighted count of the entry's term in its document. */
    public float count(int entry) {
        return countPages.get(entry >>> PAGE_BITS)[entry & PAGE_MASK];
    }
}
