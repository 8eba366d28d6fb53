package dev.recstage.features.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of strict UTF-8 (malformed bytes are an error, not replaced) and refuses a line
 * longer than a limit instead of buffering it whole: a file with no newline must not exhaust memory.
 */
final class BoundedLineReader implements AutoCloseable {
    /** Thrown when a line exceeds the limit. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int limit) {
            super("line longer than " + limit + " characters");
        }
    }

    private final Reader reader;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;

    BoundedLineReader(InputStream in, int maxChars) {
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        this.maxChars = maxChars;
    }

    /** The next line without its terminator (LF or CRLF), or null at the end. */
    String readLine() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? stripCr() : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            if (line.length() + (position - start) > maxChars) {
                throw new LineTooLongException(maxChars);
            }
            line.append(buffer, start, position - start);
            if (position < limit) {
                position++;
                return stripCr();
            }
        }
    }

    private String stripCr() {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
