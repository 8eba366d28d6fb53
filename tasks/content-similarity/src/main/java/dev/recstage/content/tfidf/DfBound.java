package dev.recstage.content.tfidf;

import dev.recstage.core.cli.StageException;

/**
 * A document-frequency bound written as sklearn takes {@code min_df}/{@code max_df}: an integer is
 * an absolute number of documents (at least 1), a number with a decimal point or exponent is a
 * proportion of the documents in [0.0, 1.0] (so {@code 1} and {@code 1.0} differ, as in sklearn).
 *
 * @param text       the setting as written, kept for the manifest and the model metadata
 * @param proportion whether {@code value} is a proportion of the documents
 */
public record DfBound(String text, boolean proportion, double value) {

    /** Exit 2 naming {@code name} unless {@code text} is a valid bound. */
    public static DfBound parse(String name, String text) {
        String trimmed = text.trim();
        boolean proportion = trimmed.matches(".*[.eE].*");
        try {
            if (proportion) {
                double value = Double.parseDouble(trimmed);
                if (!(value >= 0.0 && value <= 1.0)) {
                    throw StageException.usage(name + "=" + text + ": a proportion must be in [0.0, 1.0] (or give an integer count of documents)");
                }
                return new DfBound(trimmed, true, value);
            }
            long value = Long.parseLong(trimmed);
            if (value < 1) {
                throw StageException.usage(name + "=" + text + ": a document count must be at least 1 (or give a proportion such as 0.5)");
            }
            return new DfBound(trimmed, false, value);
        } catch (NumberFormatException e) {
            throw StageException.usage(name + "=" + text + " is neither a document count (e.g. 5) nor a proportion (e.g. 0.8)");
        }
    }

    /** The bound in documents for a corpus of {@code documents}, as sklearn computes it (a float for proportions). */
    public double documents(long documents) {
        return proportion ? value * documents : value;
    }

    @Override
    public String toString() {
        return text;
    }
}
