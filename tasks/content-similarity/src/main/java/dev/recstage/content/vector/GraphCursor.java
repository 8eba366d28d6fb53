package dev.recstage.content.vector;

import static org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;

import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * One thread's read cursor over a finished graph. Lucene's {@link OnHeapHnswGraph} keeps its
 * neighbour cursor ({@code seek}/{@code nextNeighbor}) in the graph itself, so searches on several
 * threads need a cursor each; the neighbour arrays they read are shared and no longer change.
 */
final class GraphCursor extends HnswGraph {
    private final OnHeapHnswGraph graph;
    private NeighborArray current;
    private int upto;

    GraphCursor(OnHeapHnswGraph graph) {
        this.graph = graph;
    }

    @Override
    public void seek(int level, int target) {
        current = graph.getNeighbors(level, target);
        upto = -1;
    }

    @Override
    public int nextNeighbor() {
        return ++upto < current.size() ? current.nodes()[upto] : NO_MORE_DOCS;
    }

    @Override
    public int size() {
        return graph.size();
    }

    @Override
    public int maxNodeId() {
        return graph.maxNodeId();
    }

    @Override
    public int numLevels() {
        return graph.numLevels();
    }

    @Override
    public int entryNode() {
        return graph.entryNode();
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) {
        return graph.getNodesOnLevel(level);
    }
}
