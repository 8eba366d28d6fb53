package dev.recstage.features.input;

import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A text input's size as read (decompressed) and its number of lines, which bounds its number of
 * rows (a quoted line break only adds lines): what the disk plan of the features stage is built on.
 */
public record TextSize(long bytes, long lines) {
    public static TextSize of(Path file) {
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        long lines = 1; // a last line without a line break
        try (InputStream in = RecordSource.openStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    lines += buffer[i] == '\n' ? 1 : 0;
                }
            }
        } catch (IOException e) {
            // The readers would stop at the same place: say so now, at the line reached.
            throw StageException.inputAt(file.toString(), lines, 0, "cannot read: " + e.getMessage()
                    + " (expected UTF-8 text; a .gz file may be truncated)");
        }
        return new TextSize(bytes, lines);
    }
}
