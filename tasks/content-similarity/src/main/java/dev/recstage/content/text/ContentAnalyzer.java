package dev.recstage.content.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
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
 * Thread-safe: Lucene keeps one token stream per thread.
 */
public final class ContentAnalyzer extends Analyzer {
    private static final String CJK = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\u30FC";
    /** One CJK character, or a run of at least two other word characters (code points, as Python counts). */
    private static final Pattern TOKENS = Pattern.compile("[" + CJK + "]|[\\w&&[^" + CJK + "]]{2,}",
            Pattern.UNICODE_CHARACTER_CLASS);

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new PatternTokenizer(TOKENS, 0);
        TokenStream stream = new CjkTypingFilter(tokenizer);
        stream = new CJKBigramFilter(stream);
        stream = new LowerCaseFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    /** Hands every token of {@code text} to {@code consumer}, in text order (the char sequence is reused). */
    public void forEachToken(String text, Consumer<CharSequence> consumer) {
        try (TokenStream stream = tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                consumer.accept(term);
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("tokenising text in memory cannot fail this way", e);
        }
    }

    /** The tokens of {@code text} as strings (tests and diagnostics). */
    public List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        forEachToken(text, term -> tokens.add(term.toString()));
        return tokens;
    }
}
