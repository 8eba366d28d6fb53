package dev.recstage.content.tfidf;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The first pass over the items: for every term, the number of documents it occurs in (df) and
 * its total count (tf, for {@code max_features}). Only the counts are kept, never the text.
 * After the model is chosen, {@link #keepColumns} turns it into the term → column lookup of the
 * second pass.
 */
public final class TermCounts {
    /** Counts of one term; {@code column} is its matrix column once the model is chosen, else -1. */
    static final class Term {
        int df;
        long tf;
        int column = -1;
        private int lastDocument = -1;
    }

    private final Map<String, Term> terms;
    private final boolean closed;
    private int documents;
    private int documentTerms;
    private int maxDocumentTerms;

    private TermCounts(Map<String, Term> terms, boolean closed) {
        this.terms = terms;
        this.closed = closed;
    }

    /** Counts every term met. */
    public static TermCounts open() {
        return new TermCounts(new HashMap<>(), false);
    }

    /** Counts only the terms of an existing model (the others are ignored, as a fitted vectorizer does). */
    public static TermCounts closed(String[] vocabulary) {
        Map<String, Term> terms = new HashMap<>(vocabulary.length * 4 / 3 + 1);
        for (String term : vocabulary) {
            terms.put(term, new Term());
        }
        return new TermCounts(terms, true);
    }

    /** Starts the next document; documents are numbered 0, 1, … in call order. */
    public void startDocument() {
        documents++;
        documentTerms = 0;
    }

    public void add(CharSequence token) {
        String key = token.toString();
        Term term = terms.get(key);
        if (term == null) {
            if (closed) {
                return;
            }
            term = new Term();
            terms.put(key, term);
        }
        term.tf++;
        int document = documents - 1;
        if (term.lastDocument != document) {
            term.lastDocument = document;
            term.df++;
            maxDocumentTerms = Math.max(maxDocumentTerms, ++documentTerms);
        }
    }

    public int documents() {
        return documents;
    }

    /** Most distinct counted terms in one document: a bound on the longest matrix row. */
    public int maxDocumentTerms() {
        return maxDocumentTerms;
    }

    public int size() {
        return terms.size();
    }

    Map<String, Term> terms() {
        return terms;
    }

    /**
     * Keeps the model's terms, numbered by their model column, and drops the rest.
     *
     * @return the non-zero entries the matrix will have: the sum of the kept terms' df here
     */
    public long keepColumns(String[] vocabulary) {
        for (int column = 0; column < vocabulary.length; column++) {
            Term term = terms.get(vocabulary[column]);
            if (term != null) {
                term.column = column;
            }
        }
        long nnz = 0;
        for (Iterator<Term> it = terms.values().iterator(); it.hasNext(); ) {
            Term term = it.next();
            if (term.column < 0 || term.df == 0) {
                it.remove();
            } else {
                nnz += term.df;
            }
        }
        return nnz;
    }

    /** The column of a term kept by {@link #keepColumns}, or -1. */
    public int column(CharSequence token) {
        Term term = terms.get(token.toString());
        return term == null ? -1 : term.column;
    }

    /** Rough heap size of the table, for the memory plan: entry, key string and counts per term. */
    public long estimatedBytes() {
        long chars = 0;
        for (String term : terms.keySet()) {
            chars += term.length();
        }
        return terms.size() * 120L + chars * 2;
    }
}
