package dev.recstage.content.tfidf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * What the first pass keeps of each document so that the second pass needs no second tokenising:
 * its distinct term ids with their counts, ids ascending, documents in order. Entries are stored
 * in fixed-size pages, so that the record grows without copies and holds little more than it uses.
 */
public final class CountedDocuments {
    private static final int PAGE_BITS = 16;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    /** Heap of one more page of ids and one of counts. */
    static final long PAGE_BYTES = 8L * PAGE_SIZE;

    private final LongConsumer beforeGrowth;
    private final int[] documentStart;
    private final List<int[]> idPages = new ArrayList<>();
    private final List<int[]> countPages = new ArrayList<>();
    private int documents;
    private long entries;
    private int maxDocumentTerms;
    private int[] current = new int[256];
    private int currentLength;

    /**
     * @param capacity     the number of documents that will be added
     * @param beforeGrowth told the heap bytes the record will hold after its next page, before it allocates it
     */
    public CountedDocuments(int capacity, LongConsumer beforeGrowth) {
        this.documentStart = new int[capacity + 1];
        this.beforeGrowth = beforeGrowth;
    }

    /** Heap held now: the document index, the pages and the current document's scratch. */
    public long allocatedBytes() {
        return 4L * documentStart.length + PAGE_BYTES * idPages.size() + 4L * current.length;
    }

    /** Adds one occurrence of a term to the current document. */
    public void add(int termId) {
        if (currentLength == current.length) {
            current = Arrays.copyOf(current, currentLength * 2);
        }
        current[currentLength++] = termId;
    }

    /** Ends the current document: its ids sorted and counted. */
    public void endDocument() {
        if (documents == documentStart.length - 1) {
            throw new IllegalStateException("more documents than the " + documents + " announced");
        }
        Arrays.sort(current, 0, currentLength);
        int distinct = 0;
        for (int p = 0; p < currentLength; ) {
            int id = current[p];
            int count = 0;
            while (p < currentLength && current[p] == id) {
                p++;
                count++;
            }
            append(id, count);
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

    private void append(int id, int count) {
        int offset = (int) (entries & PAGE_MASK);
        if (offset == 0 && entries >> PAGE_BITS == idPages.size()) {
            beforeGrowth.accept(allocatedBytes() + PAGE_BYTES);
            idPages.add(new int[PAGE_SIZE]);
            countPages.add(new int[PAGE_SIZE]);
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

    public int count(int entry) {
        return countPages.get(entry >>> PAGE_BITS)[entry & PAGE_MASK];
    }
}
