package dev.recstage.content.tfidf;

import dev.recstage.content.text.TextRules;
import dev.recstage.core.cli.StageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A fitted TF-IDF vocabulary: terms in column order (sorted by code point, as sklearn sorts its
 * vocabulary), their document frequency in the fitted corpus, their idf, and how weights are
 * computed, with the text rules its documents were made by (so that a saved model scores new
 * items as it counted the fitted ones). The idf is kept as float32, the precision of the saved model, and a fresh fit uses
 * the same rounded values, so that reusing a saved model reproduces the fit's weights exactly.
 */
public final class TfidfModel {
    private final String[] terms;
    private final int[] df;
    private final float[] idf;
    private final long documents;
    private final TfidfParameters parameters;
    private final TextRules rules;

    public TfidfModel(String[] terms, int[] df, float[] idf, long documents, TfidfParameters parameters, TextRules rules) {
        this.terms = terms;
        this.df = df;
        this.idf = idf;
        this.documents = documents;
        this.parameters = parameters;
        this.rules = rules;
    }

    /**
     * Fits the model as sklearn's {@code TfidfVectorizer.fit} does: terms with
     * {@code min_df ≤ df ≤ max_df}, then the {@code max_features} of highest corpus frequency
     * (ties: earlier term in code-point order; sklearn's unstable argsort leaves them unspecified),
     * smooth idf {@code ln((1+n)/(1+df)) + 1}.
     *
     * @param rules how the counted documents were made, kept with the model
     */
    public static TfidfModel fit(TermCounts counts, TfidfParameters parameters, TextRules rules) {
        long n = counts.documents();
        double maxDocs = parameters.maxDf().documents(n);
        double minDocs = parameters.minDf().documents(n);
        if (maxDocs < minDocs) {
            throw StageException.usage("TFIDF_MAX_DF=" + parameters.maxDf() + " allows fewer documents (" + maxDocs
                    + ") than TFIDF_MIN_DF=" + parameters.minDf() + " requires (" + minDocs + ") for " + n + " items");
        }
        List<CountedTerm> kept = new ArrayList<>();
        counts.forEach((term, termDf, tf) -> {
            if (termDf >= minDocs && termDf <= maxDocs) {
                kept.add(new CountedTerm(term, termDf, tf));
            }
        });
        Comparator<CountedTerm> byTerm = Comparator.comparing(CountedTerm::term, CodePointOrder.INSTANCE);
        List<CountedTerm> chosen = kept;
        if (parameters.maxFeatures().isPresent() && kept.size() > parameters.maxFeatures().getAsInt()) {
            kept.sort(Comparator.comparingDouble((CountedTerm t) -> -t.tf()).thenComparing(byTerm));
            chosen = new ArrayList<>(kept.subList(0, parameters.maxFeatures().getAsInt()));
        }
        chosen.sort(byTerm);
        String[] terms = new String[chosen.size()];
        int[] df = new int[chosen.size()];
        float[] idf = new float[chosen.size()];
        for (int c = 0; c < terms.length; c++) {
            terms[c] = chosen.get(c).term();
            df[c] = chosen.get(c).df();
            idf[c] = smoothIdf(n, df[c]);
        }
        return new TfidfModel(terms, df, idf, n, parameters, rules);
    }

    private record CountedTerm(String term, int df, double tf) {
    }

    /** sklearn's smooth idf, computed in double and stored as float32. */
    static float smoothIdf(long documents, int df) {
        return (float) (Math.log((1.0 + documents) / (1.0 + df)) + 1.0);
    }

    /**
     * Heap of the model, for the memory plan, an upper bound: per term its reference, its String
     * (object, array header, at most two bytes a character, alignment), its df and its idf.
     */
    public long estimatedBytes() {
        long bytes = 3 * 16L;
        for (String term : terms) {
            bytes += 8 + 24 + 16 + 2L * term.length() + 7 + 4 + 4;
        }
        return bytes;
    }

    public String[] terms() {
        return terms;
    }

    public int[] df() {
        return df;
    }

    public float[] idf() {
        return idf;
    }

    public int size() {
        return terms.length;
    }

    /** Number of documents the model was fitted on. */
    public long documents() {
        return documents;
    }

    public TfidfParameters parameters() {
        return parameters;
    }

    public TextRules rules() {
        return rules;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TfidfModel m && documents == m.documents && parameters.equals(m.parameters) && rules.equals(m.rules)
                && Arrays.equals(terms, m.terms) && Arrays.equals(df, m.df) && Arrays.equals(idf, m.idf);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(terms) * 31 + Long.hashCode(documents);
    }
}
