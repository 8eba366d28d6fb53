package dev.recstage.tools;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Standard output in UTF-8 whatever the locale (Java 17 follows the locale, which in a pod is often ASCII). */
public final class Console {
    private Console() {
    }

    /** A writer over {@code System.out}; flush it, never close it. */
    public static PrintWriter out() {
        return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
    }
}
