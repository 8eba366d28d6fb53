package dev.recstage.recommend;

/**
 * Every item's related list over one pass's neighbour lists, in item order: merged into the items'
 * running top N of the passes before when the lists are read in passes, and handed to the sink on
 * the last (or only) pass.
 */
final class RelatedPass {
    private RelatedPass() {
    }

    /**
     * @param soFar the items' lists of the passes before (null: a single pass)
     * @param sink  gets every item's list; null for a pass before the last
     */
    static void run(NeighborLists behavior, NeighborLists content, BlendWeights weights, int topN, RunningTopN soFar,
                    RelatedListSink sink) {
        RelatedItems related = new RelatedItems(new BlendedRow(behavior, content, weights, BlendedRow.capacity(behavior, content)), topN);
        int[] neighbors = new int[topN];
        float[] scores = new float[topN];
        byte[] sources = new byte[topN];
        int[] tags = new int[topN];
        RunningTopN.Scratch scratch = new RunningTopN.Scratch(topN);
        for (int i = 0; i < behavior.items(); i++) {
            int count = related.listFor(i, neighbors, scores, sources);
            if (soFar != null) {
                for (int r = 0; r < count; r++) {
                    tags[r] = sources[r];
                }
                count = soFar.merge(i, neighbors, scores, tags, 0, count, scratch);
                for (int r = 0; r < count; r++) {
                    sources[r] = (byte) tags[r];
                }
            }
            if (sink != null) {
                sink.accept(i, neighbors, scores, sources, count);
            }
        }
    }
}
