package dev.recstage.core.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: written last into every output directory; its presence is what makes the
 * directory an output. Lists every file with its size and rows, the inputs, the effective
 * configuration, row counts (read, kept, rejected by reason), step timings and memory figures.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Manifest {
    public static final String FILE_NAME = "manifest.json";
    /** Version of the manifest layout and of the Arrow contracts it describes. */
    public static final int FORMAT_VERSION = 1;

    @RegisterForReflection
    public record OutputFile(String file, long bytes, @JsonProperty("rows") Long rows) {
    }

    @RegisterForReflection
    public record InputFile(String path, long bytes) {
    }

    @RegisterForReflection
    public record RowCounts(long read, long kept, Map<String, Long> rejected) {
    }

    @RegisterForReflection
    public record Step(String name, double seconds, @JsonProperty("peak_rss_bytes") long peakRssBytes,
                       @JsonProperty("heap_used_bytes") long heapUsedBytes,
                       @JsonProperty("arrow_bytes") long arrowBytes) {
    }

    @RegisterForReflection
    public record Memory(@JsonProperty("peak_rss_bytes") long peakRssBytes,
                         @JsonProperty("peak_heap_bytes") long peakHeapBytes,
                         @JsonProperty("peak_arrow_bytes") long peakArrowBytes,
                         @JsonProperty("limit_bytes") long limitBytes,
                         @JsonProperty("max_heap_bytes") long maxHeapBytes) {
    }

    public String stage;
    /** Identifies this run's output among all runs of the stage (a random UUID), so that downstream can tell runs apart. */
    @JsonProperty("run_id")
    public String runId;
    /** The {@link #runId} of each input directory read, by its stage: which run of features a neighbour file comes from. */
    @JsonProperty("input_runs")
    public Map<String, String> inputRuns = new TreeMap<>();
    @JsonProperty("format_version")
    public int formatVersion = FORMAT_VERSION;
    public String created;
    public List<InputFile> inputs = new ArrayList<>();
    public List<OutputFile> outputs = new ArrayList<>();
    public Map<String, String> config = new TreeMap<>();
    public Map<String, RowCounts> counts = new LinkedHashMap<>();
    /** Stage-specific figures (e.g. users capped by the history limit). */
    public Map<String, Object> stats = new LinkedHashMap<>();
    public List<Step> steps = new ArrayList<>();
    public Memory memory;

    public OutputFile output(String file) {
        return outputs.stream().filter(o -> o.file().equals(file)).findFirst().orElse(null);
    }
}
