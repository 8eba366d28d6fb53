package dev.recstage.core.memory;

/** Memory figures of this process at one moment; peaks are since the process started. */
public record MemorySnapshot(
        long rssBytes,
        long peakRssBytes,
        long heapUsedBytes,
        long peakHeapBytes,
        long arrowBytes,
        long peakArrowBytes) {

    /** Heap plus Arrow buffers: what the stage itself holds, as opposed to what the OS charges. */
    public long inUseBytes() {
        return heapUsedBytes + arrowBytes;
    }

    public String describe() {
        return String.format("peak RSS %s, peak heap %s, peak Arrow %s (now: RSS %s, heap %s, Arrow %s)",
                ByteSize.mb(peakRssBytes), ByteSize.mb(peakHeapBytes), ByteSize.mb(peakArrowBytes),
                ByteSize.mb(rssBytes), ByteSize.mb(heapUsedBytes), ByteSize.mb(arrowBytes));
    }
}
