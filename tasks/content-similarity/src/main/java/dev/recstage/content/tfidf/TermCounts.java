package dev.recstage.content.tfidf;

import java.util.Arrays;
import org.apache.lucene.analysis.CharArrayMap;

/**
 * The first pass's vocabulary: every term gets an id (in order of first sight) and its counts:
 * the number of documents it occurs in (df) and its total weighted count (tf, for {@code max_features}).
 * Looked up by the token's characters (Lucene's {@link CharArrayMap}), so that a token already
 * seen costs no allocation. Only the terms are kept, never the text.
 */
public final class TermCounts {
    /** Receives the counted terms (in no particular order). */
    public interface TermVisitor {
        void term(String term, int df, double tf);
    }

    private static final class Term {
        final int id;
        int df;
        double tf;
        int lastDocument = -1;

        Term(int id) {
            this.id = id;
        }
    }

    private final CharArrayMap<Term> terms;
    private final boolean closed;
    private long termChars;
    private int documents;

    private TermCounts(int expected, boolean closed) {
        this.terms = new CharArrayMap<>(expected, false);
        this.closed = closed;
    }

    /** Counts every term met. */
    public static TermCounts open() {
        return new TermCounts(1024, false);
    }

    /** Counts only the terms of an existing model, with ids equal to their model columns; other terms are ignored, as a fitted vectorizer does. */
    public static TermCounts closed(String[] vocabulary) {
        TermCounts counts = new TermCounts(vocabulary.length, true);
        for (String term : vocabulary) {
            counts.insert(term);
        }
        return counts;
    }

    private Term insert(String name) {
        Term term = new Term(terms.size());
        terms.put(name, term);
        termChars += name.length();
        return term;
    }

    /** Starts the next document; documents are numbered 0, 1, … in call order. */
    public void startDocument() {
        documents++;
    }

    /**
     * Counts one occurrence of the token in the current document, {@code weight} towards its tf
     * (the weight of the token's field); its term id, or -1 when a closed vocabulary does not know it.
     */
    public int add(char[] buffer, int length, double weight) {
        Term term = terms.get(buffer, 0, length);
        if (term == null) {
            if (closed) {
                return -1;
            }
            term = insert(new String(buffer, 0, length));
        }
        term.tf += weight;
        int document = documents - 1;
        if (term.lastDocument != document) {
            term.lastDocument = document;
            term.df++;
        }
        return term.id;
    }

    public int documents() {
        return documents;
    }

    /** Number of term ids given out. */
    public int size() {
        return terms.size();
    }

    /** Every term with its counts. */
    public void forEach(TermVisitor visitor) {
        for (CharArrayMap<Term>.EntryIterator it = terms.entrySet().iterator(); it.hasNext(); ) {
            String name = it.nextKeyString();
            Term term = it.currentValue();
            visitor.term(name, term.df, term.tf);
        }
    }

    /** For every term id, its column in {@code vocabulary}, or -1 when the model does not keep it. */
    public int[] columnsOf(String[] vocabulary) {
        int[] columns = new int[terms.size()];
        Arrays.fill(columns, -1);
        for (int column = 0; column < vocabulary.length; column++) {
            Term term = terms.get(vocabulary[column]);
            if (term != null) {
                columns[term.id] = column;
            }
        }
        return columns;
    }

    /**
     * Rough heap size of the table, for the memory plan: per term its map slots (at the map's
     * lowest load), key array and counts, about 120 bytes, plus two bytes per key character.
     */
    public long estimatedBytes() {
        return terms.size() * 120L + termChars * 2;
    }
}
