package dev.recstage.content.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The words of item text, as the old system's sklearn {@code TfidfVectorizer} saw them, built
 * from Lucene analysis components:
 *
 * <ul>
 *   <li>Outside Chinese, Japanese and Korean script, a token is a maximal run of two or more word
 *       characters ({@code \w}, Unicode-aware: letters, digits, marks, underscore). On ASCII text
 *       this is exactly sklearn's default {@code (?u)\b\w\w+\b}: one-character tokens are dropped,
 *       apostrophes, dots and hyphens split words, underscores and digits belong to words.</li>
 *   <li>Han, Hiragana, Katakana and Hangul characters are not words by themselves: each adjacent
 *       pair of them becomes a bigram (Lucene's {@link CJKBigramFilter}, as its CJK analyzer does),
 *       and a lone one stays a one-character token, since one Han character is often a word
 *       (书, 猫). sklearn would have kept a whole CJK run as one token, which matches nothing.</li>
 *   <li>Everything is lower-cased ({@link LowerCaseFilter}, per code point).</li>
 * </ul>
 *
 * A run such as {@code abc中文} splits at the script change into {@code abc} and {@code 中文}.
 * Options beyond sklearn's default analysis (both off by default): dropping Lucene's English
 * stop words ({@link EnglishAnalyzer#ENGLISH_STOP_WORDS_SET}, matched after lower-casing, as
 * sklearn matches its {@code stop_words}), and dropping tokens made only of digits
 * ({@link DigitTokenFilter}). Thread-safe: Lucene keeps one token stream per thread.
 */
public final class ContentAnalyzer extends Analyzer {
    private static final String CJK = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\u30FC";
    /**
     * A run of at least two non-CJK word characters (code points, as Python counts), or one CJK
     * character. The alternatives cannot both start at one character, so their order does not
     * change the tokens; ASCII is tested first in each, since the Unicode property tests (a
     * script lookup per character) dominate tokenising otherwise.
     */
    static final Pattern TOKENS = Pattern.compile("[a-zA-Z0-9_[\\w&&[^" + CJK + "]]]{2,}|[\\x{80}-\\x{10FFFF}&&[" + CJK + "]]",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final TextRules.StopWords stopWords;
    private final TextRules.DigitTokens digitTokens;

    /** sklearn's default analysis (with CJK bigrams): every token kept. */
    public ContentAnalyzer() {
        this(TextRules.StopWords.NONE, TextRules.DigitTokens.KEEP);
    }

    public ContentAnalyzer(TextRules.StopWords stopWords, TextRules.DigitTokens digitTokens) {
        this.stopWords = stopWords;
        this.digitTokens = digitTokens;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new PatternTokenizer(TOKENS, 0);
        TokenStream stream = new CjkTypingFilter(tokenizer);
        stream = new CJKBigramFilter(stream);
        stream = new LowerCaseFilter(stream);
        if (stopWords == TextRules.StopWords.ENGLISH) {
            stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        }
        if (digitTokens == TextRules.DigitTokens.DROP) {
            stream = new DigitTokenFilter(stream);
        }
        return new TokenStreamComponents(tokenizer, stream);
    }

    /** Receives tokens as the analyzer's reused buffer: the first {@code length} characters of {@code buffer}. */
    public interface TokenSink {
        void token(char[] buffer, int length);
    }

    /** Hands every token of {@code text} to {@code sink}, in text order. */
    public void forEachToken(String text, TokenSink sink) {
        try (TokenStream stream = tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                sink.token(term.buffer(), term.length());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("tokenising text in memory cannot fail this way", e);
        }
    }

    /** The tokens of {@code text} as strings (tests and diagnostics). */
    public List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        forEachToken(text, (buffer, length) -> tokens.add(new String(buffer, 0, length)));
        return tokens;
    }
}
