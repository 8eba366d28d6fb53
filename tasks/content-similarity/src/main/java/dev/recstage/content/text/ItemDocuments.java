package dev.recstage.content.text;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.features.FeaturesInput;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The items of a features output as token streams, one document per item in item-index order:
 * the fields of the {@link TextRules}, each tokenised on its own (as if joined with a space, so
 * that no token or CJK bigram spans two fields), every token tagged with the field it came from
 * so that the counting can weigh it. Streams {@code items.arrow} batch by batch; no text is kept
 * once tokenised.
 */
public final class ItemDocuments {
    /** Receives the documents: {@code startDocument} per item in order 0, 1, …, then its tokens, then {@code endDocument}. */
    public interface Visitor {
        void startDocument(int item);

        /**
         * One token, as the analyzer's reused buffer: the first {@code length} characters of {@code buffer}.
         *
         * @param field the token's field, an index into {@link TextRules#fields}
         */
        void token(char[] buffer, int length, int field);

        void endDocument();
    }

    private final FeaturesInput features;
    private final TextRules rules;
    private final ContentAnalyzer analyzer;

    public ItemDocuments(FeaturesInput features, TextRules rules) {
        this.features = features;
        this.rules = rules;
        this.analyzer = rules.analyzer();
    }

    public TextRules rules() {
        return rules;
    }

    /** The items file the documents come from. */
    public Path file() {
        return features.directory().file(FeaturesInput.ITEMS_FILE);
    }

    public void forEach(BufferAllocator allocator, Visitor visitor) {
        int[] expected = {0};
        features.forEachItemText(rules.fieldNames(), allocator, (item, values) -> {
            if (item != expected[0]) {
                throw StageException.input(file()
                        + ": row " + expected[0] + " holds item " + item + "; items must be stored in item-index order 0..N-1");
            }
            expected[0]++;
            visitor.startDocument(item);
            int field = 0;
            for (String value : values) {
                if (value != null) {
                    int of = field;
                    analyzer.forEachToken(value, (buffer, length) -> visitor.token(buffer, length, of));
                }
                field++;
            }
            visitor.endDocument();
        });
    }
}
