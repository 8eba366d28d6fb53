package dev.recstage.content.text;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.features.FeaturesInput;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The items of a features output as token streams, one document per item in item-index order:
 * the configured text fields, each tokenised on its own (as if joined with a space, so that no
 * token or CJK bigram spans two fields). Streams {@code items.arrow} batch by batch; no text is
 * kept once tokenised.
 */
public final class ItemDocuments {
    /** Receives the documents: {@code startDocument} per item in order 0, 1, …, then its tokens, then {@code endDocument}. */
    public interface Visitor extends ContentAnalyzer.TokenSink {
        void startDocument(int item);

        void endDocument();
    }

    private final FeaturesInput features;
    private final List<String> fields;
    private final ContentAnalyzer analyzer;

    public ItemDocuments(FeaturesInput features, List<String> fields, ContentAnalyzer analyzer) {
        this.features = features;
        this.fields = fields;
        this.analyzer = analyzer;
    }

    /** The items file the documents come from. */
    public Path file() {
        return features.directory().file(FeaturesInput.ITEMS_FILE);
    }

    public void forEach(BufferAllocator allocator, Visitor visitor) {
        int[] expected = {0};
        features.forEachItemText(fields, allocator, (item, values) -> {
            if (item != expected[0]) {
                throw StageException.input(file()
                        + ": row " + expected[0] + " holds item " + item + "; items must be stored in item-index order 0..N-1");
            }
            expected[0]++;
            visitor.startDocument(item);
            for (String value : values) {
                if (value != null) {
                    analyzer.forEachToken(value, visitor);
                }
            }
            visitor.endDocument();
        });
    }
}
