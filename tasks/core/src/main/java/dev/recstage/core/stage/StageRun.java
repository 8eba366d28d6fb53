package dev.recstage.core.stage;

import dev.recstage.core.io.DiskPlan;
import dev.recstage.core.io.InputDirectory;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.io.OutputDirectory;
import dev.recstage.core.memory.ByteSize;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryLog;
import dev.recstage.core.memory.MemoryMeter;
import dev.recstage.core.memory.MemorySnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jboss.logging.Logger;

/**
 * One run of a stage: its Arrow allocator, memory meter and budget, its staged output directory
 * and the manifest that is written last. Steps are timed and end with a memory log line.
 */
public final class StageRun implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("recstage");

    private final String stage;
    private final BufferAllocator allocator = new RootAllocator();
    private final MemoryMeter meter = new MemoryMeter(allocator);
    private final MemoryBudget budget = MemoryBudget.detect();
    private final OutputDirectory output;
    private final Manifest manifest = new Manifest();
    private final Map<String, Long> scratch = new LinkedHashMap<>();
    /** The step in progress (or the last one done), for the log line of a stop request. */
    private volatile String step = "start";

    StageRun(String stage, OutputDirectory output) {
        this.stage = stage;
        this.output = output;
        manifest.stage = stage;
        manifest.runId = UUID.randomUUID().toString();
    }

    public static StageRun start(String stage, Path out) {
        StageRun run = StopRequest.watch(out, output -> new StageRun(stage, output));
        LOG.infof("%s: writing %s; %s", stage, run.output.target(), run.budget.describe());
        return run;
    }

    String stage() {
        return stage;
    }

    public Logger log() {
        return LOG;
    }

    public BufferAllocator allocator() {
        return allocator;
    }

    public MemoryBudget budget() {
        return budget;
    }

    public MemoryMeter meter() {
        return meter;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Where to write an output file while the run is in progress. */
    public Path outputFile(String name) {
        return output.file(name);
    }

    /**
     * A directory of the output, created now if it is not there. One level only, never its parents:
     * once a stop request has deleted the staging directory, nothing can make it again.
     */
    public Path outputDirectory(String name) {
        Path dir = output.file(name);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // made by an earlier call
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + OutputDirectory.publicPath(dir), e);
        }
        return dir;
    }

    public <T> T step(String name, Supplier<T> work) {
        long start = System.nanoTime();
        LOG.infof("%s: %s ...", stage, name);
        step = "'" + name + "'";
        T result = work.get();
        step = "after '" + name + "'";
        double seconds = (System.nanoTime() - start) / 1e9;
        MemorySnapshot memory = meter.snapshot();
        manifest.steps.add(new Manifest.Step(name, Math.round(seconds * 1000) / 1000.0,
                memory.peakRssBytes(), memory.heapUsedBytes(), memory.arrowBytes()));
        LOG.infof("%s: %s done in %.2f s; %s", stage, name, seconds, memory.describe());
        return result;
    }

    public void step(String name, Runnable work) {
        step(name, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code release} (dropping large structures), collects garbage and logs the old
     * system's {@code Memory usage: A -> B (freed C)} line over heap plus Arrow memory.
     */
    public void release(Runnable release) {
        long before = meter.snapshot().inUseBytes();
        release.run();
        System.gc();
        long after = meter.snapshot().inUseBytes();
        LOG.info(MemoryLog.usage(before, after));
    }

    public void recordInput(Path file) {
        try {
            manifest.inputs.add(new Manifest.InputFile(file.toString(), Files.size(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records which run of its stage an input directory is ({@code input_runs} of the manifest). */
    public void recordInputRun(InputDirectory input) {
        manifest.inputRuns.put(input.manifest().stage, input.manifest().runId);
    }

    /**
     * Checks, before the heavy work, that the volume of --out has room for every file the run will
     * write (exit 5 saying what is needed, what is free and where), and records the plan for the
     * manifest, which sets it beside the bytes really written.
     */
    public void requireDisk(DiskPlan plan) {
        long free = output.usableBytes();
        manifest.disk = new Manifest.Disk(plan.totalBytes(), null, plan.files(), null);
        LOG.infof("%s: disk plan: %s; %s free on the volume of %s", stage, plan.describe(), ByteSize.mb(free), output.target().getParent());
        plan.requireFits(free, output.target());
    }

    /** Declares a scratch file of the staging directory (deleted before the commit), for the manifest's written bytes; call it when complete. */
    public void recordScratch(String file) {
        scratch.put(file, output.size(file));
    }

    /** Declares a finished output file; its size is read now, so call it after closing the file. */
    public void recordOutput(String file, Long rows) {
        manifest.outputs.add(new Manifest.OutputFile(file, output.size(file), rows));
    }

    /** Writes the manifest and moves the output into place; nothing is visible before this. */
    public void commit() {
        MemorySnapshot memory = meter.snapshot();
        manifest.created = Instant.now().toString();
        manifest.memory = new Manifest.Memory(memory.peakRssBytes(), memory.peakHeapBytes(), memory.peakArrowBytes(),
                budget.limitBytes(), budget.maxHeapBytes());
        if (manifest.disk != null) {
            long written = manifest.outputs.stream().mapToLong(Manifest.OutputFile::bytes).sum()
                    + scratch.values().stream().mapToLong(Long::longValue).sum();
            manifest.disk = new Manifest.Disk(manifest.disk.estimatedBytes(), written, manifest.disk.estimate(), Map.copyOf(scratch));
        }
        output.commit(manifest);
        LOG.infof("%s: done, output in %s; %s", stage, output.target(), memory.describe());
    }

    /** From the shutdown hook (see StopRequest): logs where the run was, and drops its staging directory unless committed. */
    void stopRequested(long cleanupMillis) {
        StopRequest.say(stage + ": asked to stop (SIGTERM, SIGINT or SIGHUP) during step " + step
                + ": removing the staging directory; " + output.target() + " is left as it was");
        if (output.abandon(cleanupMillis)) {
            StopRequest.say(stage + ": the output was already complete in " + output.target());
        } else {
            StopRequest.say(stage + ": stopped; nothing of this run is left on the volume");
        }
    }

    @Override
    public void close() {
        StopRequest.unwatch(this, output.committed() ? output.target() : null);
        output.close();
        allocator.close();
    }
}
