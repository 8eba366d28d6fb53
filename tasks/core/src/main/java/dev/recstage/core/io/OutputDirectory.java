package dev.recstage.core.io;

import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An output directory built under a temporary name beside its final place and renamed into place
 * once complete, so that readers see either no output or a whole one. Files are fsynced,
 * {@code manifest.json} is written last, and a previous output at the same place is replaced
 * (moved aside, then deleted), never mixed with the new one. Anything else at that place (files
 * without a manifest) is refused, not replaced.
 */
public final class OutputDirectory implements AutoCloseable {
    private static final String STAGING_MARK = ".staging-";
    private static final String RETIRED_MARK = ".retired-";
    /** A staging directory's name in a path: {@code /.out.staging-123} stands for {@code /out}. */
    private static final Pattern STAGED_NAME = Pattern.compile("(?<=/)\\.([^/\\s]+?)" + Pattern.quote(STAGING_MARK) + "\\d+");

    private final Path target;
    private final Path staging;
    private boolean committed;
    private boolean abandoned;

    private OutputDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Creates the staging directory; exit 2 when --out's place cannot be written (exit 5 when its
     * volume is full), with a message that names --out and its parent, never the hidden staging name.
     */
    public static OutputDirectory create(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            refuseForeign(absolute);
            Files.createDirectories(parent);
            removeLeftovers(parent, absolute.getFileName().toString());
            Path staging = parent.resolve("." + absolute.getFileName() + STAGING_MARK + ProcessHandle.current().pid());
            deleteTree(staging);
            Files.createDirectory(staging);
            return new OutputDirectory(absolute, staging);
        } catch (IOException e) {
            throw cannotCreate(absolute, e);
        }
    }

    private static StageException cannotCreate(Path target, IOException e) {
        if (IoErrors.isNoSpace(e)) {
            return StageException.diskSpace("cannot create --out " + target + ": no space left on device in " + target.getParent()
                    + " (free space there, or choose --out on a larger volume)");
        }
        Path failed = e instanceof FileSystemException fs && fs.getFile() != null ? publicPath(Path.of(fs.getFile())) : target;
        Path blocking = firstNonDirectory(target.getParent());
        if (blocking != null) {
            return StageException.usage("cannot create --out " + target + ": " + blocking
                    + " is a file, not a directory (choose another --out)");
        }
        Path where = failed.equals(target) ? target.getParent() : failed.getParent();
        return StageException.usage("cannot create --out " + target + ": " + IoErrors.reason(e) + " in " + where
                + " (choose another --out, or make " + where + " writable)");
    }

    /** The nearest existing ancestor when it is not a directory (a file in --out's path), else null. */
    private static Path firstNonDirectory(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    /**
     * Where a person will find {@code file} once the output is committed: the same path with the
     * hidden staging directory ({@code .out.staging-PID}) replaced by --out. Other paths are returned as they are.
     */
    public static Path publicPath(Path file) {
        return Path.of(publicText(file.toString()));
    }

    /** {@link #publicPath} applied to every path in a message. */
    public static String publicText(String text) {
        return STAGED_NAME.matcher(text).replaceAll("$1");
    }

    /** Bytes free to this process on the volume that holds the output. */
    public long usableBytes() {
        try {
            return Files.getFileStore(staging).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + target.getParent(), e);
        }
    }

    public Path target() {
        return target;
    }

    public synchronized boolean committed() {
        return committed;
    }

    /** Where to write a file of this output while it is being built. */
    public Path file(String name) {
        return staging.resolve(name);
    }

    /**
     * Writes the manifest with every staged file's size, fsyncs all, and renames the directory into
     * place. The renames are done under the lock that {@link #abandon} takes, so that a stop request
     * finds either the output committed or the staging directory still there to delete.
     */
    public void commit(Manifest manifest) {
        try {
            for (Manifest.OutputFile out : manifest.outputs) {
                Path file = file(out.file());
                long bytes = Files.size(file);
                if (bytes != out.bytes()) {
                    throw new IllegalStateException(out.file() + " is " + bytes + " bytes but the manifest says " + out.bytes());
                }
                fsync(file);
            }
            Path manifestFile = file(Manifest.FILE_NAME);
            Json.MAPPER.writeValue(manifestFile.toFile(), manifest);
            fsync(manifestFile);
            fsyncDirectory(staging);
            Path retired = null;
            synchronized (this) {
                if (abandoned) {
                    // The stop request's hook deleted the staging directory; the process is exiting with 143.
                    throw StageException.stopped("the run was asked to stop: " + target + " is left as it was");
                }
                if (Files.exists(target)) {
                    retired = target.resolveSibling("." + target.getFileName() + RETIRED_MARK + ProcessHandle.current().pid());
                    deleteTree(retired);
                    Files.move(target, retired, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                fsyncDirectory(target.getParent());
                committed = true;
            }
            if (retired != null) {
                deleteTree(retired);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the output directory " + target, e);
        }
    }

    /**
     * For a run asked to stop, from another thread while the run's threads may still be writing:
     * unless the output is already committed, forbids the commit and deletes the staging directory
     * (again until it is gone: a thread may create a file while it is being emptied, but none can
     * once the directory itself is deleted). Returns whether the output had been committed.
     */
    public synchronized boolean abandon(long timeoutMillis) {
        if (committed) {
            return true;
        }
        abandoned = true;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (Files.exists(staging) && System.currentTimeMillis() < deadline) {
            try {
                deleteTree(staging);
            } catch (IOException | UncheckedIOException e) {
                // Something was created or deleted while the tree was walked: walk it again.
            }
        }
        return false;
    }

    /** Size in bytes of a staged file, for the manifest. */
    public long size(String name) {
        try {
            return Files.size(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the staging directory unless the output was committed. */
    @Override
    public synchronized void close() {
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                // Best effort: the next run removes leftovers of dead processes.
            }
        }
    }

    /**
     * Only a previous output (a directory with a manifest) or an empty directory is ever replaced:
     * anything else at the target is someone's files, which commit would delete.
     */
    private static void refuseForeign(Path target) throws IOException {
        if (!Files.exists(target) || Files.isRegularFile(target.resolve(Manifest.FILE_NAME))) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw StageException.usage("--out " + target + " is a file, not an output directory: refusing to replace it (choose another --out)");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw StageException.usage("--out " + target + " holds files but no " + Manifest.FILE_NAME
                        + ", so it is not an earlier output: refusing to replace it (choose another --out, or empty it)");
            }
        }
    }

    /**
     * Removes staging or retired directories of this output left by processes that are gone (killed
     * runs). A run killed between moving the previous output aside and moving its own into place
     * left no output at all: the previous one is moved back first, as if that run had never started.
     */
    private static void removeLeftovers(Path parent, String name) throws IOException {
        Path target = parent.resolve(name);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent, "." + name + ".*")) {
            for (Path sibling : siblings) {
                String rest = sibling.getFileName().toString().substring(name.length() + 1);
                for (String mark : new String[] {STAGING_MARK, RETIRED_MARK}) {
                    if (rest.startsWith(mark) && !alive(rest.substring(mark.length()))) {
                        if (mark.equals(RETIRED_MARK) && !Files.exists(target) && Files.isRegularFile(sibling.resolve(Manifest.FILE_NAME))) {
                            Files.move(sibling, target, StandardCopyOption.ATOMIC_MOVE);
                            fsyncDirectory(parent);
                        } else {
                            deleteTree(sibling);
                        }
                    }
                }
            }
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException e) {
                    // Already gone.
                }
            }
        }
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename is still atomic there.
        }
    }
}
