package dev.recstage.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** What an I/O failure means in words a person reads in an {@code error:} line, without Java class names. */
public final class IoErrors {
    private IoErrors() {
    }

    /** Whether {@code failure} or one of its causes is the volume being full (ENOSPC, or a quota: EDQUOT). */
    public static boolean isNoSpace(Throwable failure) {
        return noSpaceCause(failure) != null;
    }

    public static IOException noSpaceCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io && io.getMessage() != null) {
                String message = io.getMessage().toLowerCase(Locale.ROOT);
                if (message.contains("no space left on device") || message.contains("disk quota exceeded")) {
                    return io;
                }
            }
        }
        return null;
    }

    /** The cause in words: "permission denied", "no such file or directory", or the system's own text. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage() == null ? "input/output error" : e.getMessage();
    }

    /** The file a file-system failure names, as a person will find it (see OutputDirectory.publicPath), or null. */
    public static String fileOf(IOException e) {
        return e instanceof FileSystemException fs && fs.getFile() != null
                ? OutputDirectory.publicPath(java.nio.file.Path.of(fs.getFile())).toString() : null;
    }
}
