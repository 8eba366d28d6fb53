package dev.recstage.recommend;

/** Receives each item's finished related list, in item order. */
@FunctionalInterface
interface RelatedListSink {
    /** @param sources per neighbour, its {@link BlendedRow} source code */
    void accept(int item, int[] neighbors, float[] scores, byte[] sources, int count);
}
