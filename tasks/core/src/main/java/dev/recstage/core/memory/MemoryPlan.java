package dev.recstage.core.memory;

import dev.recstage.core.cli.StageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run will allocate, part by part, computed before allocating anything, so that a plan
 * that cannot fit ends with exit 4 and advice instead of an OutOfMemoryError half-way or an OOM kill.
 *
 * <p>A plan fits when its heap parts, with the runtime's own live heap, take at most
 * {@value #HEAP_SHARE_PERCENT}% of the max heap, and when the whole max heap, the off-heap parts
 * and the runtime's memory outside the heap fit the limit. The whole max heap, not only the live
 * part, because the throughput collector lets garbage grow the heap to its maximum before a full
 * collection, and all of it is then resident: a 128 MiB container with a 64 MB heap was OOM-killed
 * when only the live heap was counted.
 */
public final class MemoryPlan {
    /** What the runtime itself takes besides the planned parts: its live heap and {@link #RUNTIME_NON_HEAP}. */
    public static final long RUNTIME_OVERHEAD = 96L << 20;
    /** Heap the runtime keeps live besides the planned parts (Quarkus, picocli, Jackson, analyzers): about 6-7 MB measured. */
    public static final long RUNTIME_HEAP = 8L << 20;
    /** The runtime's memory outside the heap: code, metaspace, threads, GC structures, the mapped class archive. */
    public static final long RUNTIME_NON_HEAP = RUNTIME_OVERHEAD - RUNTIME_HEAP;
    /** Share of the max heap the live heap may take; the rest is GC headroom and small objects. */
    private static final int HEAP_SHARE_PERCENT = 85;
    private static final long MIB = 1L << 20;

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

    /** The planned heap parts: what the run keeps live on the heap. */
    public long heapBytes() {
        return parts.stream().filter(Part::heap).mapToLong(Part::bytes).sum();
    }

    public long offHeapBytes() {
        return parts.stream().filter(part -> !part.heap()).mapToLong(Part::bytes).sum();
    }

    /** The smallest max heap whose usable share holds the heap parts and the runtime's live heap. */
    public long smallestMaxHeap() {
        return ceilDiv((heapBytes() + RUNTIME_HEAP) * 100, HEAP_SHARE_PERCENT);
    }

    /** What the process may hold resident with this max heap: all of it, the off-heap parts and the runtime's non-heap. */
    public long residentBytes(long maxHeapBytes) {
        return maxHeapBytes + offHeapBytes() + RUNTIME_NON_HEAP;
    }

    public boolean fits(MemoryBudget budget) {
        return budget.maxHeapBytes() >= smallestMaxHeap() && residentBytes(budget.maxHeapBytes()) <= budget.limitBytes();
    }

    /**
     * The smallest limit this plan fits under when the max heap is {@code heapPercent}% of the
     * limit (as JVM_MAX_RAM_PERCENTAGE makes it), in whole MiB; {@link Long#MAX_VALUE} at 100% or more.
     */
    public long smallestLimit(double heapPercent) {
        if (heapPercent >= 100) {
            return Long.MAX_VALUE;
        }
        long forHeap = (long) Math.ceil(smallestMaxHeap() * 100 / heapPercent);
        long besideHeap = (long) Math.ceil((offHeapBytes() + RUNTIME_NON_HEAP) * 100 / (100 - heapPercent));
        return ceilDiv(Math.max(forHeap, besideHeap), MIB) * MIB;
    }

    public String describe(MemoryBudget budget) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            text.append(part.what()).append(' ').append(ByteSize.mb(part.bytes())).append(part.heap() ? " heap" : " off-heap").append(", ");
        }
        return text.append("runtime ").append(ByteSize.mb(RUNTIME_OVERHEAD)).append(" (of which heap ").append(ByteSize.mb(RUNTIME_HEAP))
                .append("); resident: the whole max heap ").append(ByteSize.mb(budget.maxHeapBytes()))
                .append(" + off-heap ").append(ByteSize.mb(offHeapBytes()))
                .append(" + runtime outside the heap ").append(ByteSize.mb(RUNTIME_NON_HEAP))
                .append(" = ").append(ByteSize.mb(residentBytes(budget.maxHeapBytes()))).toString();
    }

    /** Exit 4 with what is needed, what is there and what to change, when the plan does not fit. */
    public void requireFits(MemoryBudget budget, String advice) {
        if (!fits(budget)) {
            long heap = Math.max(budget.maxHeapBytes(), smallestMaxHeap());
            List<String> fitting = fittingBudgets(budget);
            throw StageException.memory("the plan needs " + ByteSize.mb(residentBytes(heap)) + " (heap part "
                    + ByteSize.mb(heapBytes()) + ", which needs a max heap of " + ByteSize.mb(smallestMaxHeap())
                    + ") but the budget is " + budget.describe() + " [" + describe(budget) + "]; "
                    + (fitting.isEmpty() ? "" : "it fits " + String.join(", or ", fitting) + "; ") + advice);
        }
    }

    /** Computed advice: the smallest limit at the current heap share, and the max heaps that fit the current limit. */
    private List<String> fittingBudgets(MemoryBudget budget) {
        List<String> fitting = new ArrayList<>();
        double percent = 100.0 * budget.maxHeapBytes() / budget.limitBytes();
        if (percent < 100) {
            fitting.add(String.format(Locale.ROOT, "under a memory limit of at least %dMi with the max heap at %.0f%% of it, as now",
                    smallestLimit(percent) / MIB, percent));
        }
        // The max heaps that fit this limit: from the smallest that holds the live heap to the largest that leaves room beside it.
        long lowMib = ceilDiv(smallestMaxHeap(), MIB);
        long highMib = (budget.limitBytes() - offHeapBytes() - RUNTIME_NON_HEAP) / MIB;
        if (lowMib <= highMib) {
            boolean tooSmall = budget.maxHeapBytes() < smallestMaxHeap();
            long heapMib = tooSmall ? lowMib : highMib;
            long limitMib = budget.limitBytes() / MIB;
            long heapPercent = tooSmall ? ceilDiv(lowMib * 100, limitMib) : highMib * 100 / limitMib;
            long percentMib = limitMib * heapPercent / 100;
            // JVM_MAX_RAM_PERCENTAGE is a whole percent: named only when one lands inside the range.
            fitting.add("under this limit with a max heap of " + heapMib + "Mi (RECSTAGE_MAX_HEAP=" + heapMib + "Mi"
                    + (percentMib >= lowMib && percentMib <= highMib ? ", or JVM_MAX_RAM_PERCENTAGE=" + heapPercent : "") + ")");
        }
        return fitting;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
