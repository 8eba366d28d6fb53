package dev.recstage.core.io;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.Shard;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage's output directory read as one table, whether the stage ran as one process or as n shards.
 *
 * <p>Layout: an unsharded output is the directory itself ({@code manifest.json} in it). A sharded
 * output holds one complete output directory per shard, {@code shard-<i>-of-<n>/} for i = 0..n-1,
 * each written by {@code --shard i/n --out DIR/shard-i-of-n} with its own staging and manifest, so
 * a shard is either absent or whole. The table is the concatenation of the shards' files in shard
 * order, which is the unsharded output's rows in the same order ({@link Shard}). A reader never sees
 * a partial set: a missing or unfinished shard, shards of different splits or of different inputs
 * are refused (exit 3, naming the shard).
 */
public final class StageOutput {
    private static final Pattern SHARD_DIR = Pattern.compile("shard-(\\d+)-of-(\\d+)");

    private final Path dir;
    private final List<InputDirectory> parts;

    private StageOutput(Path dir, List<InputDirectory> parts) {
        this.dir = dir;
        this.parts = List.copyOf(parts);
    }

    /** The directory shard {@code shard} of a stage output at {@code dir} is written to. */
    public static Path shardDirectory(Path dir, Shard shard) {
        return dir.resolve(shardDirectoryName(shard));
    }

    /** {@code shard-<i>-of-<n>}. */
    public static String shardDirectoryName(Shard shard) {
        return "shard-" + shard.index() + "-of-" + shard.count();
    }

    /**
     * Opens the output at {@code dir}; {@code expectedStage} null accepts whichever stage wrote it
     * (the tools), otherwise a manifest of another stage is refused.
     */
    public static StageOutput open(Path dir, String expectedStage) {
        if (Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))) {
            return new StageOutput(dir, List.of(InputDirectory.open(dir, stageOf(dir, expectedStage))));
        }
        int count = shardCount(dir, expectedStage);
        List<InputDirectory> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Path shardDir = shardDirectory(dir, new Shard(i, count));
            if (!Files.isRegularFile(shardDir.resolve(Manifest.FILE_NAME))) {
                throw StageException.input(dir + ": shard " + i + " of " + count + " is missing (" + shardDir
                        + " has no " + Manifest.FILE_NAME + "): not reading an incomplete set of shards (run that shard, or wait for it)");
            }
            InputDirectory part = InputDirectory.open(shardDir, stageOf(shardDir, expectedStage));
            checkPart(part, parts.isEmpty() ? null : parts.get(0), i, count);
            parts.add(part);
        }
        return new StageOutput(dir, parts);
    }

    public Path dir() {
        return dir;
    }

    public boolean sharded() {
        return parts.size() > 1 || !parts.get(0).dir().equals(dir);
    }

    /** The outputs in shard order; one (the directory itself) when not sharded. */
    public List<InputDirectory> parts() {
        return parts;
    }

    /** The manifest of the first (or only) part: what every part shares (stage, inputs, configuration). */
    public Manifest firstManifest() {
        return parts.get(0).manifest();
    }

    public boolean has(String name) {
        return parts.stream().allMatch(part -> part.has(name));
    }

    /** The files of one table in shard order: their concatenation is the table. Exit 3 when a part lacks it. */
    public List<Path> files(String name) {
        return parts.stream().map(part -> part.file(name)).toList();
    }

    /** Rows of one table over all shards, from the manifests. */
    public long rows(String name) {
        long rows = 0;
        for (InputDirectory part : parts) {
            Manifest.OutputFile file = part.manifest().output(name);
            rows += file == null || file.rows() == null ? 0 : file.rows();
        }
        return rows;
    }

    /**
     * The physical files behind a file path of a stage output: the file itself when it exists,
     * else, when its directory is a sharded output, that file of every shard in order (the tools
     * take {@code DIR/content_neighbors.arrow} whether DIR is sharded or not).
     */
    public static List<Path> physicalFiles(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.exists(file) || parent == null || Files.isRegularFile(parent.resolve(Manifest.FILE_NAME)) || !hasShards(parent)) {
            return List.of(file);
        }
        return open(parent, null).files(file.getFileName().toString());
    }

    private static boolean hasShards(Path dir) {
        return !shardNames(dir).isEmpty();
    }

    /** The shard count of the set under {@code dir}; exit 3 when there is no output or the splits disagree. */
    private static int shardCount(Path dir, String expectedStage) {
        if (!Files.isDirectory(dir)) {
            throw StageException.input("input directory " + dir + " does not exist");
        }
        TreeSet<Integer> counts = new TreeSet<>();
        for (String name : shardNames(dir)) {
            Matcher m = SHARD_DIR.matcher(name);
            if (m.matches()) {
                counts.add(Integer.parseInt(m.group(2)));
            }
        }
        String stage = expectedStage == null ? "its" : "the " + expectedStage;
        if (counts.isEmpty()) {
            throw StageException.input(dir + " has no " + Manifest.FILE_NAME + " and no shard-<i>-of-<n> directories: it is not a finished output of "
                    + stage + " stage (run that stage first, or point to its --out)");
        }
        if (counts.size() > 1) {
            throw StageException.input(dir + " holds shards of different splits (of " + counts + "): not reading a mixed set (remove the stale shards)");
        }
        return counts.first();
    }

    private static List<String> shardNames(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "shard-*-of-*")) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && SHARD_DIR.matcher(entry.getFileName().toString()).matches()) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return names;
        }
        return names;
    }

    /** A shard must say it is that shard, and must have read what the first shard read. */
    private static void checkPart(InputDirectory part, InputDirectory first, int index, int count) {
        String recorded = part.manifest().config.get("shard");
        String expected = new Shard(index, count).toString();
        if (recorded != null && !recorded.equals(expected)) {
            throw StageException.input(part.dir().resolve(Manifest.FILE_NAME) + ": written as shard " + recorded + ", found as shard " + expected);
        }
        if (first != null && !Objects.equals(comparable(first.manifest().inputs), comparable(part.manifest().inputs))) {
            throw StageException.input(part.dir().resolve(Manifest.FILE_NAME) + ": shard " + index + " of " + count
                    + " read other inputs than shard 0 (" + part.manifest().inputs + " against " + first.manifest().inputs
                    + "): the shards are not of one run");
        }
    }

    private static List<String> comparable(List<Manifest.InputFile> inputs) {
        return inputs.stream().map(in -> in.path() + ":" + in.bytes()).toList();
    }

    private static String stageOf(Path dir, String expectedStage) {
        if (expectedStage != null) {
            return expectedStage;
        }
        try {
            return Json.MAPPER.readValue(dir.resolve(Manifest.FILE_NAME).toFile(), Manifest.class).stage;
        } catch (IOException e) {
            throw StageException.input(dir.resolve(Manifest.FILE_NAME) + " cannot be read: " + e.getMessage(), e);
        }
    }
}
