package dev.recstage.content.text;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * Marks one-character Han, Hiragana, Katakana and Hangul tokens with the token types
 * StandardTokenizer gives them, so that {@link CJKBigramFilter} joins them into bigrams behind a
 * tokenizer other than StandardTokenizer. (Lucene's PatternTypingFilter cannot do it: it builds
 * new type strings, and CJKBigramFilter compares types by identity with StandardTokenizer's.)
 */
final class CjkTypingFilter extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final TypeAttribute type = addAttribute(TypeAttribute.class);

    CjkTypingFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (!input.incrementToken()) {
            return false;
        }
        int codePoint = Character.codePointAt(term, 0);
        if (Character.charCount(codePoint) == term.length()) {
            String cjkType = typeOf(codePoint);
            if (cjkType != null) {
                type.setType(cjkType);
            }
        }
        return true;
    }

    /** StandardTokenizer's type of a CJK character; null for any other character. */
    static String typeOf(int codePoint) {
        if (codePoint == 0x30FC) { // Katakana-Hiragana prolonged sound mark (script Common), part of Katakana words
            return StandardTokenizer.TOKEN_TYPES[StandardTokenizer.KATAKANA];
        }
        return switch (Character.UnicodeScript.of(codePoint)) {
            case HAN -> StandardTokenizer.TOKEN_TYPES[StandardTokenizer.IDEOGRAPHIC];
            case HIRAGANA -> StandardTokenizer.TOKEN_TYPES[StandardTokenizer.HIRAGANA];
            case KATAKANA -> StandardTokenizer.TOKEN_TYPES[StandardTokenizer.KATAKANA];
            case HANGUL -> StandardTokenizer.TOKEN_TYPES[StandardTokenizer.HANGUL];
            default -> null;
        };
    }
}
