package dev.recstage.content.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void englishStopWordsAreLucenesSetMatchedAfterLowerCasing() {
        ContentAnalyzer stop = new ContentAnalyzer(TextRules.StopWords.ENGLISH, TextRules.DigitTokens.KEEP);
        assertEquals(List.of("godfather", "part", "ii", "1972"), stop.tokens("The Godfather: Part II (1972)"));
        assertEquals(List.of("kill", "bill", "vol", "fire", "system"), stop.tokens("Kill Bill: Vol. 1 AND fire THE system"),
                "Lucene's 33 function words only: sklearn's list would also drop bill, fire and system");
        assertEquals(List.of("war", "peace"), stop.tokens("War and Peace"));
    }

    @Test
    void digitTokensCanBeDroppedWhileMixedTokensStay() {
        ContentAnalyzer drop = new ContentAnalyzer(TextRules.StopWords.NONE, TextRules.DigitTokens.DROP);
        assertEquals(List.of("godfather", "the"), drop.tokens("Godfather, The (1972)"));
        assertEquals(List.of("2nd", "x86_64", "r2", "d2", "v2", "007a"), drop.tokens("2nd x86_64 R2-D2 v2.0 007 007a 3.14 1,000"));
        assertEquals(List.of("数据", "text"), drop.tokens("数据 ٢٠٢٤ text"), "Arabic-Indic digits are digits too (Unicode Nd, as Python's \\d)");
        ContentAnalyzer both = new ContentAnalyzer(TextRules.StopWords.ENGLISH, TextRules.DigitTokens.DROP);
        assertEquals(List.of("matrix"), both.tokens("Matrix, The (1999)"));
    }

    @Test
    void theDefaultAnalyzerKeepsStopWordsAndDigits() {
        assertTokens("Godfather, The (1972)", "godfather", "the", "1972");
    }

    /** The token rule written plainly, without the ASCII fast paths of {@link ContentAnalyzer#TOKENS}. */
    private static final String CJK = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\u30FC";
    private static final Pattern PLAIN = Pattern.compile("[" + CJK + "]|[\\w&&[^" + CJK + "]]{2,}", Pattern.UNICODE_CHARACTER_CLASS);

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        for (Matcher m = pattern.matcher(text); m.find(); ) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void theFastPatternFindsWhatThePlainRuleFinds() {
        int[] alphabet = "aZ09_ -.'|\u00e9\u00df\u0301\u0660\u4e2d\u6587\u3042\u30a2\u30fc\ud55c\u0416\u05d0\u2160\u00b2\ud835\udc00\ud83d\ude00"
                .codePoints().toArray();
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int c = random.nextInt(12); c > 0; c--) {
                text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            }
            String sample = text.toString();
            assertEquals(matches(PLAIN, sample), matches(ContentAnalyzer.TOKENS, sample), () -> "tokens of \"" + sample + "\"");
        }
    }
}
