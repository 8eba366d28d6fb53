package dev.recstage.content.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected tokens written from the rules: sklearn's {@code (?u)\b\w\w+\b} with lower-casing on
 * ASCII (checked against sklearn itself by tests/peers/test_content_sklearn.py), bigrams on CJK.
 */
class ContentAnalyzerTest {
    private final ContentAnalyzer analyzer = new ContentAnalyzer();

    private void assertTokens(String text, String... expected) {
        assertEquals(List.of(expected), analyzer.tokens(text), () -> "tokens of \"" + text + "\"");
    }

    @Test
    void englishIsLowerCasedAndOneCharacterWordsAreDropped() {
        assertTokens("A Tale of Two Cities", "tale", "of", "two", "cities");
        assertTokens("I am a UX designer", "am", "ux", "designer");
    }

    @Test
    void apostrophesDotsAndHyphensSplitWordsLikeSklearn() {
        assertTokens("don't stop", "don", "stop");
        assertTokens("e.g. U.S.A. state-of-the-art", "state", "of", "the", "art");
        assertTokens("v2.0 3.14 pi", "v2", "14", "pi");
        assertTokens("o'neil's rock'n'roll", "neil", "rock", "roll");
    }

    @Test
    void underscoresAndDigitsAreWordCharacters() {
        assertTokens("snake_case _x __ 2024 a1 1a 7", "snake_case", "_x", "__", "2024", "a1", "1a");
    }

    @Test
    void punctuationAndTagSeparatorsSplit() {
        assertTokens("sci-fi|space opera|AI", "sci", "fi", "space", "opera", "ai");
        assertTokens("C++ & C# (x86_64) <html>", "x86_64", "html");
        assertTokens("", new String[0]);
        assertTokens("  !!  ", new String[0]);
    }

    @Test
    void chineseRunsBecomeOverlappingBigrams() {
        assertTokens("机器学习", "机器", "器学", "学习");
        assertTokens("数据 分析", "数据", "分析");
        assertTokens("书", "书");
        assertTokens("猫，狗。", "猫", "狗");
    }

    @Test
    void japaneseAndKoreanRunsBecomeBigrams() {
        assertTokens("カタカナ", "カタ", "タカ", "カナ");
        assertTokens("ひらがな", "ひら", "らが", "がな");
        assertTokens("한국어 사전", "한국", "국어", "사전");
    }

    @Test
    void mixedTextSplitsAtTheScriptChange() {
        assertTokens("Python数据分析 2nd Edition", "python", "数据", "据分", "分析", "2nd", "edition");
        assertTokens("深度学习Deep Learning入门", "深度", "度学", "学习", "deep", "learning", "入门");
        assertTokens("a中b", "中");
    }

    @Test
    void nonAsciiLettersAreWords() {
        assertTokens("Café Ümlaut ß", "café", "ümlaut");
        assertTokens("Ελληνικά Русский", "ελληνικά", "русский");
    }
}
