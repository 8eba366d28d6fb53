package dev.recstage.content.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONTENT_FIELD_WEIGHTS parsing and the rules' round trip through the model metadata. */
class TextRulesTest {
    private static final List<String> ALL = TextRules.KNOWN_FIELDS;

    @Test
    void unnamedFieldsWeighOneAndTheFieldOrderIsCONTENT_FIELDS() {
        assertEquals(List.of(new TextRules.WeightedField("title", 1), new TextRules.WeightedField("description", 1),
                new TextRules.WeightedField("tags", 2), new TextRules.WeightedField("category", 0.5)),
                FieldWeights.parse(" category:0.5 , TAGS:2 ", ALL));
        assertEquals(List.of(new TextRules.WeightedField("tags", 1)), FieldWeights.parse("", List.of("tags")));
    }

    @Test
    void badWeightsAreRefusedWithTheReason() {
        Map<String, String> cases = Map.of("tags", "not field:weight", "tags:x", "not a number", "summary:2", "not among the fields",
                "tags:0", "> 0", "tags:-1", "> 0", "tags:NaN", "> 0", "tags:Infinity", "> 0", "tags:1,tags:2", "twice");
        cases.forEach((text, reason) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldWeights.parse(text, ALL), text);
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        });
        assertThrows(IllegalArgumentException.class, () -> FieldWeights.parse("tags:2", List.of("title")), "tags is not read");
    }

    @Test
    void theDescriptionRoundTrips() {
        TextRules rules = new TextRules(FieldWeights.parse("title:1,tags:2.5,category:3", ALL), TextRules.StopWords.ENGLISH,
                TextRules.DigitTokens.DROP);
        Map<String, String> description = rules.describe();
        assertEquals("title:1,description:1,tags:2.5,category:3", description.get("field_weights"));
        assertEquals(rules, TextRules.fromDescription(description));
        assertEquals("english", rules.describeSettings().get("CONTENT_STOP_WORDS"));
        assertEquals("title,description,tags,category", rules.describeSettings().get("CONTENT_FIELDS"));
        assertNull(TextRules.fromDescription(Map.of("min_df", "1")), "a model written before the rules were recorded");
        assertThrows(IllegalArgumentException.class, () -> TextRules.fromDescription(Map.of("field_weights", "title:1")));
        assertThrows(IllegalArgumentException.class, () -> TextRules.fromDescription(
                Map.of("field_weights", "summary:1", "stop_words", "none", "digit_tokens", "keep")));
    }

    @Test
    void choicesIgnoreCaseAndNameTheSettingWhenWrong() {
        assertEquals(TextRules.StopWords.ENGLISH, TextRules.choice(TextRules.StopWords.class, "CONTENT_STOP_WORDS", "English"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextRules.choice(TextRules.DigitTokens.class, "CONTENT_DIGIT_TOKENS", "maybe"));
        assertEquals("CONTENT_DIGIT_TOKENS=maybe: choose keep or drop", e.getMessage());
    }
}
