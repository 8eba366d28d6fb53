package dev.recstage.core.memory;

import dev.recstage.core.cli.StageException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run will allocate, part by part, computed before allocating anything, so that a plan
 * that cannot fit ends with exit 4 and advice instead of an OutOfMemoryError half-way.
 */
public final class MemoryPlan {
    /** What the runtime itself takes besides the planned parts: code, metaspace, threads, GC. */
    public static final long RUNTIME_OVERHEAD = 96L << 20;
    /** Heap the runtime keeps live besides the planned parts (Quarkus, picocli, Jackson, analyzers): about 6-7 MB measured. */
    public static final long RUNTIME_HEAP = 8L << 20;
    /** Share of the max heap the planned heap parts may take; the rest is GC headroom and small objects. */
    private static final double HEAP_SHARE = 0.85;

    private record Part(String what, long bytes, boolean heap) {
    }

    private final List<Part> parts = new ArrayList<>();

    public MemoryPlan heap(String what, long bytes) {
        parts.add(new Part(what, bytes, true));
        return this;
    }

    public MemoryPlan offHeap(String what, long bytes) {
        parts.add(new Part(what, bytes, false));
        return this;
    }

    public long heapBytes() {
        return parts.stream().filter(Part::heap).mapToLong(Part::bytes).sum();
    }

    public long totalBytes() {
        return parts.stream().mapToLong(Part::bytes).sum() + RUNTIME_OVERHEAD;
    }

    public boolean fits(MemoryBudget budget) {
        return heapBytes() + RUNTIME_HEAP <= budget.maxHeapBytes() * HEAP_SHARE && totalBytes() <= budget.limitBytes();
    }

    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            text.append(part.what()).append(' ').append(ByteSize.mb(part.bytes())).append(part.heap() ? " heap" : " off-heap").append(", ");
        }
        return text.append("runtime ").append(ByteSize.mb(RUNTIME_OVERHEAD)).append(" (of which heap ").append(ByteSize.mb(RUNTIME_HEAP)).append(')').append("; total ").append(ByteSize.mb(totalBytes())).toString();
    }

    /** Exit 4 with what is needed, what is there and what to change, when the plan does not fit. */
    public void requireFits(MemoryBudget budget, String advice) {
        if (!fits(budget)) {
            throw StageException.memory("the plan needs " + ByteSize.mb(totalBytes()) + " (heap part "
                    + ByteSize.mb(heapBytes()) + ") but the budget is " + budget.describe() + " [" + describe()
                    + "]; " + advice);
        }
    }
}
