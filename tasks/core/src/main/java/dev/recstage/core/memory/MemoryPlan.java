package dev.recstage.core.memory;

import dev.recstage.core.cli.StageException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a run will allocate, part by part, computed before allocating anything, so that a plan
 * that cannot fit ends with exit 4 and advice instead of an OutOfMemoryError half-way or an OOM kill.
 *
 * <p>A plan fits when its heap parts, with the runtime's own live heap, take at most
 * {@value #HEAP_SHARE_PERCENT}% of the usable heap, and when the whole max heap, the off-heap parts
 * and the runtime's memory outside the heap fit the limit. The whole max heap, not only the live
 * part, because the throughput collector lets garbage grow the heap to its maximum before a full
 * collection, and all of it is then resident: a 128 MiB container with a 64 MB heap was OOM-killed
 * when only the live heap was counted.
 *
 * <p>A run whose large structures do not all live at once plans in {@linkplain #phase phases}: each
 * phase lists the heap parts live during it, {@link #heap} parts are live in every phase, and the
 * heap the plan needs is that of its largest phase. A part belongs in a phase only if it is
 * unreachable (dropped and collectable) before the next phase allocates; off-heap parts are counted
 * for the whole run.
 */
public final class MemoryPlan {
    /** What the runtime itself takes besides the planned parts: its live heap and {@link #RUNTIME_NON_HEAP}. */
    public static final long RUNTIME_OVERHEAD = 96L << 20;
    /** Heap the runtime keeps live besides the planned parts (Quarkus, picocli, Jackson, analyzers): about 6-7 MB measured. */
    public static final long RUNTIME_HEAP = 8L << 20;
    /** The runtime's memory outside the heap: code, metaspace, threads, GC structures, the mapped class archive. */
    public static final long RUNTIME_NON_HEAP = RUNTIME_OVERHEAD - RUNTIME_HEAP;
    /** Share of the usable heap the live heap may take; the rest is GC headroom and small objects. */
    private static final int HEAP_SHARE_PERCENT = 85;
    private static final long MIB = 1L << 20;
    /**
     * What the throughput collector keeps back of a max heap above the initial 64 MB, with the young
     * generation of 32 MB that bin/recstage and the JVM image give it (-Xmn32m): a survivor space,
     * 10.5 MB measured; a max heap equal to the initial one (a 128 MiB limit at 50%) keeps back only
     * 4 MB, which would make advice from such a budget short by the difference.
     */
    private static final long KEPT_BACK_ABOVE_INITIAL_HEAP = 21 * MIB / 2;
    /** The JVM rounds a max heap up to this (the throughput collector's alignment here), so advised heaps are whole steps of it. */
    private static final long HEAP_ALIGNMENT = 2 * MIB;

    private record Part(String what, long bytes, boolean heap) {
    }

    /** One step of a run and the heap parts live during it (besides the plan's parts live in every phase). */
    public static final class Phase {
        private final String name;
        private final List<Part> parts = new ArrayList<>();

        private Phase(String name) {
            this.name = name;
        }

        public Phase heap(String what, long bytes) {
            parts.add(new Part(what, bytes, true));
            return this;
        }

        private long heapBytes() {
            return parts.stream().mapToLong(Part::bytes).sum();
        }
    }

    /** Heap parts live in every phase, and the off-heap parts. */
    private final List<Part> parts = new ArrayList<>();
    private final List<Phase> phases = new ArrayList<>();

    /** A heap part live for the whole run: in every phase. */
    public MemoryPlan heap(String what, long bytes) {
        parts.add(new Part(what, bytes, true));
        return this;
    }

    public MemoryPlan offHeap(String what, long bytes) {
        parts.add(new Part(what, bytes, false));
        return this;
    }

    /** A phase of the run, in run order, with the heap parts that {@code parts} adds to it. */
    public MemoryPlan phase(String name, Consumer<Phase> parts) {
        Phase phase = new Phase(name);
        parts.accept(phase);
        phases.add(phase);
        return this;
    }

    /** The planned heap at its peak: the parts live in every phase and those of the largest phase. */
    public long heapBytes() {
        return parts.stream().filter(Part::heap).mapToLong(Part::bytes).sum() + peakPhase().map(Phase::heapBytes).orElse(0L);
    }

    /** The phase with the most heap (the first of equals), empty for a plan without phases. */
    private Optional<Phase> peakPhase() {
        Phase peak = null;
        for (Phase phase : phases) {
            if (peak == null || phase.heapBytes() > peak.heapBytes()) {
                peak = phase;
            }
        }
        return Optional.ofNullable(peak);
    }

    /** The name of the phase at which the heap peaks, empty for a plan without phases. */
    public Optional<String> peakPhaseName() {
        return peakPhase().map(phase -> phase.name);
    }

    public long offHeapBytes() {
        return parts.stream().filter(part -> !part.heap()).mapToLong(Part::bytes).sum();
    }

    /**
     * Heap left under this budget for parts not in the plan yet: {@value #HEAP_SHARE_PERCENT}% of the
     * usable heap less the runtime's live heap and the planned heap; 0 when nothing is left or the
     * resident rule already fails.
     */
    public long heapRoom(MemoryBudget budget) {
        if (residentBytes(budget.maxHeapBytes()) > budget.limitBytes()) {
            return 0;
        }
        return Math.max(0, budget.usableHeapBytes() * HEAP_SHARE_PERCENT / 100 - RUNTIME_HEAP - heapBytes());
    }

    /** The smallest usable heap whose {@value #HEAP_SHARE_PERCENT}% holds the heap parts and the runtime's live heap. */
    public long smallestUsableHeap() {
        return ceilDiv((heapBytes() + RUNTIME_HEAP) * 100, HEAP_SHARE_PERCENT);
    }

    /**
     * The smallest max heap that fits, if the collector keeps back as much of it as in this budget;
     * where it keeps back some, at least what it keeps back of a heap above its initial size.
     */
    long smallestMaxHeap(MemoryBudget budget) {
        long keptBack = budget.maxHeapBytes() - budget.usableHeapBytes();
        return smallestUsableHeap() + (keptBack > 0 ? Math.max(keptBack, KEPT_BACK_ABOVE_INITIAL_HEAP) : 0);
    }

    /** What the process may hold resident with this max heap: all of it, the off-heap parts and the runtime's non-heap. */
    public long residentBytes(long maxHeapBytes) {
        return maxHeapBytes + offHeapBytes() + RUNTIME_NON_HEAP;
    }

    public boolean fits(MemoryBudget budget) {
        return budget.usableHeapBytes() >= smallestUsableHeap() && residentBytes(budget.maxHeapBytes()) <= budget.limitBytes();
    }

    /**
     * The smallest limit, in whole MiB, this plan fits under when the max heap is the same share of
     * the limit as in {@code budget} (as JVM_MAX_RAM_PERCENTAGE makes it); {@link Long#MAX_VALUE}
     * when the max heap is not below the limit.
     */
    public long smallestLimit(MemoryBudget budget) {
        long limit = budget.limitBytes();
        long heap = budget.maxHeapBytes();
        if (heap >= limit) {
            return Long.MAX_VALUE;
        }
        // limit ≥ smallest max heap / share and (1 - share) · limit ≥ what is beside the heap, share = heap / limit;
        // the max heap in whole steps of the JVM's alignment, so that a heap share of the limit, however rounded, holds it,
        // and a step of room beside it, since the JVM may round the share up (-Xmx93m is a 94 MB heap).
        long smallestHeap = ceilDiv(smallestMaxHeap(budget), HEAP_ALIGNMENT) * HEAP_ALIGNMENT;
        BigInteger forHeap = ceilDiv(BigInteger.valueOf(smallestHeap).multiply(BigInteger.valueOf(limit)), heap);
        BigInteger besideHeap = ceilDiv(BigInteger.valueOf(offHeapBytes() + RUNTIME_NON_HEAP + HEAP_ALIGNMENT)
                .multiply(BigInteger.valueOf(limit)), limit - heap);
        return ceilDiv(forHeap.max(besideHeap), MIB).multiply(BigInteger.valueOf(MIB)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    public String describe(MemoryBudget budget) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            appendPart(text, part).append(phases.isEmpty() || !part.heap() ? ", " : " in every phase, ");
        }
        for (Phase phase : phases) {
            text.append("phase \"").append(phase.name).append("\": ");
            for (Part part : phase.parts) {
                appendPart(text, part).append(", ");
            }
            text.setLength(text.length() - 2);
            text.append(" = ").append(ByteSize.mb(phase.heapBytes())).append("; ");
        }
        peakPhase().ifPresent(peak -> text.append("peak heap ").append(ByteSize.mb(heapBytes())).append(" in phase \"")
                .append(peak.name).append("\"; "));
        return text.append("runtime ").append(ByteSize.mb(RUNTIME_OVERHEAD)).append(" (of which heap ").append(ByteSize.mb(RUNTIME_HEAP))
                .append("); resident: the whole max heap ").append(ByteSize.mb(budget.maxHeapBytes()))
                .append(" + off-heap ").append(ByteSize.mb(offHeapBytes()))
                .append(" + runtime outside the heap ").append(ByteSize.mb(RUNTIME_NON_HEAP))
                .append(" = ").append(ByteSize.mb(residentBytes(budget.maxHeapBytes()))).toString();
    }

    private static StringBuilder appendPart(StringBuilder text, Part part) {
        return text.append(part.what()).append(' ').append(ByteSize.mb(part.bytes())).append(part.heap() ? " heap" : " off-heap");
    }

    /** Exit 4 with what is needed, what is there and what to change, when the plan does not fit. */
    public void requireFits(MemoryBudget budget, String advice) {
        if (!fits(budget)) {
            long heap = Math.max(budget.maxHeapBytes(), smallestMaxHeap(budget));
            List<String> fitting = fittingBudgets(budget);
            throw StageException.memory("the plan needs " + ByteSize.mb(residentBytes(heap)) + " (heap part "
                    + ByteSize.mb(heapBytes()) + peakPhaseName().map(name -> " at its peak, in phase \"" + name + "\"").orElse("") + ", which needs a max heap of " + ByteSize.mb(smallestMaxHeap(budget))
                    + ") but the budget is " + budget.describe() + " [" + describe(budget) + "]; "
                    + (fitting.isEmpty() ? "" : "it fits " + String.join(", or ", fitting) + "; ") + advice);
        }
    }

    /** Computed advice: the smallest limit at the current heap share, and the max heaps that fit the current limit. */
    private List<String> fittingBudgets(MemoryBudget budget) {
        List<String> fitting = new ArrayList<>();
        long smallestLimit = smallestLimit(budget);
        if (smallestLimit != Long.MAX_VALUE) {
            fitting.add(String.format(Locale.ROOT, "under a memory limit of at least %dMi with the max heap at %.0f%% of it, as now",
                    smallestLimit / MIB, 100.0 * budget.maxHeapBytes() / budget.limitBytes()));
        }
        // The max heaps that fit this limit, from the smallest that holds the live heap to the largest that
        // leaves room beside it, as the JVM sizes them: in whole steps of its heap alignment.
        long low = ceilDiv(smallestMaxHeap(budget), HEAP_ALIGNMENT) * HEAP_ALIGNMENT;
        long high = Math.floorDiv(budget.limitBytes() - offHeapBytes() - RUNTIME_NON_HEAP, HEAP_ALIGNMENT) * HEAP_ALIGNMENT;
        if (low <= high) {
            boolean tooSmall = budget.usableHeapBytes() < smallestUsableHeap();
            long heap = tooSmall ? low : high;
            long limitMib = budget.limitBytes() / MIB;
            long percent = tooSmall ? ceilDiv(low / MIB * 100, limitMib) : high / MIB * 100 / limitMib;
            long percentHeap = ceilDiv(limitMib * percent / 100 * MIB, HEAP_ALIGNMENT) * HEAP_ALIGNMENT;
            // JVM_MAX_RAM_PERCENTAGE is a whole percent: named only when one lands inside the range.
            fitting.add("under this limit with a max heap of " + heap / MIB + "Mi (RECSTAGE_MAX_HEAP=" + heap / MIB + "Mi"
                    + (percentHeap >= low && percentHeap <= high ? ", or JVM_MAX_RAM_PERCENTAGE=" + percent : "") + ")");
        }
        return fitting;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    private static BigInteger ceilDiv(BigInteger dividend, long divisor) {
        BigInteger[] quotient = dividend.divideAndRemainder(BigInteger.valueOf(divisor));
        return quotient[1].signum() > 0 ? quotient[0].add(BigInteger.ONE) : quotient[0];
    }
}
