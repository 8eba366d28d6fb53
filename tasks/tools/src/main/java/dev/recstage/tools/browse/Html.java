package dev.recstage.tools.browse;

/**
 * A page under construction. Text from the run (titles, tags, ids: user data) goes in only through
 * {@link #text}, which escapes it; markup only through {@link #raw} with literals of this package.
 */
final class Html {
    private final StringBuilder page = new StringBuilder(8192);

    /** Appends markup written in this package (never data). */
    Html raw(String markup) {
        page.append(markup);
        return this;
    }

    /** Appends {@code value} as text: it can never open a tag, end an attribute or start an entity. */
    Html text(Object value) {
        page.append(escape(String.valueOf(value)));
        return this;
    }

    /** Escapes the five characters that are markup in HTML text and in quoted attribute values. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return page.toString();
    }
}
