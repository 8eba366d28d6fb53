package dev.recstage.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** normalizeTags splits without a regex; it must give what splitting on the literal separator gives. */
class NormalizeTagsTest {
    private static final List<String> TAGS = List.of("a|b|c", "a", "|a||b|", " a | b ", "| |", "||", "a|\u2003|b",
            " x\u2003 |y", "a;;b;;;c", ";;a;;", "a;b", "日本|中文 | ");

    @Test
    void sameAsSplittingOnTheLiteralSeparator() {
        for (String separator : List.of("|", ";;", " ", ".")) {
            ItemCatalog catalog = new ItemCatalog(null, null, separator, null);
            for (String tags : TAGS) {
                assertEquals(bySplit(tags, separator), catalog.normalizeTags(tags), separator + " on '" + tags + "'");
            }
        }
    }

    private static String bySplit(String tags, String separator) {
        List<String> parts = new ArrayList<>();
        for (String tag : Pattern.compile(separator, Pattern.LITERAL).split(tags)) {
            if (!tag.isBlank()) {
                parts.add(tag.trim());
            }
        }
        return parts.isEmpty() ? null : String.join("|", parts);
    }
}
