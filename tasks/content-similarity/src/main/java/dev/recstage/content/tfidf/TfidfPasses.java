package dev.recstage.content.tfidf;

import dev.recstage.content.text.ItemDocuments;
import dev.recstage.core.engine.CsrMatrix;
import org.apache.arrow.memory.BufferAllocator;

/** The two streaming passes over the items that make the TF-IDF matrix. */
public final class TfidfPasses {
    private TfidfPasses() {
    }

    /** First pass: document frequencies and term counts into {@code counts}. */
    public static TermCounts count(ItemDocuments documents, TermCounts counts, BufferAllocator allocator) {
        documents.forEach(allocator, new ItemDocuments.Visitor() {
            @Override
            public void startDocument(int item) {
                counts.startDocument();
            }

            @Override
            public void token(CharSequence token) {
                counts.add(token);
            }
        });
        return counts;
    }

    /** Second pass: the weighted, L2-normalised rows, after {@link TermCounts#keepColumns} returned {@code nnz}. */
    public static CsrMatrix matrix(ItemDocuments documents, TermCounts columns, TfidfModel model, int items, long nnz,
                                   BufferAllocator allocator) {
        TfidfMatrixBuilder builder = new TfidfMatrixBuilder(columns, model, items, nnz);
        documents.forEach(allocator, new ItemDocuments.Visitor() {
            @Override
            public void startDocument(int item) {
            }

            @Override
            public void token(CharSequence token) {
                builder.token(token);
            }

            @Override
            public void endDocument() {
                builder.endDocument();
            }
        });
        return builder.build();
    }
}
