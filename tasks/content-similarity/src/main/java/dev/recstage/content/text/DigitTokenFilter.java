package dev.recstage.content.text;

import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Drops tokens made only of decimal digits (Unicode Nd, as Python's {@code \d} on str): years such
 * as {@code 1972}, version and episode numbers. Tokens that mix digits with letters or underscores
 * ({@code 2nd}, {@code x86}, {@code r2}) stay.
 */
final class DigitTokenFilter extends FilteringTokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    DigitTokenFilter(TokenStream input) {
        super(input);
    }

    @Override
    protected boolean accept() {
        for (int i = 0; i < term.length(); ) {
            int codePoint = Character.codePointAt(term, i);
            if (!Character.isDigit(codePoint)) {
                return true;
            }
            i += Character.charCount(codePoint);
        }
        return false;
    }
}
