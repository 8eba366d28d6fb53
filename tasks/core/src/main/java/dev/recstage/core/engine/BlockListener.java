package dev.recstage.core.engine;

/** Told after each block of rows has been handed to the sink, so that the caller can log progress. */
@FunctionalInterface
public interface BlockListener {

    BlockListener NONE = (rowsDone, rowsTotal) -> { };

    /**
     * Called from the caller's thread after each block.
     *
     * @param rowsDone  rows of the requested range emitted so far
     * @param rowsTotal rows in the requested range
     */
    void blockDone(int rowsDone, int rowsTotal);
}
