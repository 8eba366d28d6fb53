package dev.recstage.content.tfidf;

import java.util.Comparator;

/**
 * Strings ordered by Unicode code point, as Python sorts them (and as UTF-8 bytes sort), rather
 * than by UTF-16 unit as {@link String#compareTo} does; the two differ only when a character
 * above U+FFFF meets one in U+E000..U+FFFF.
 */
final class CodePointOrder implements Comparator<String> {
    static final CodePointOrder INSTANCE = new CodePointOrder();

    @Override
    public int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return Integer.compare(rank(x), rank(y));
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Moves surrogates (D800..DFFF) above E000..FFFF so that UTF-16 order becomes code point order. */
    private static int rank(char c) {
        if (c >= 0xD800) {
            return c >= 0xE000 ? c - 0x800 : c + 0x2000;
        }
        return c;
    }
}
