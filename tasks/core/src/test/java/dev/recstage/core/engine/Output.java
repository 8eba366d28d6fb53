package dev.recstage.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A sink that records every row as one line with the exact bits of each score, so that outputs
 * compare byte for byte (and diff readably), and that checks the sink contract on the way.
 */
final class Output implements NeighborSink {

    private final List<String> lines = new ArrayList<>();
    private final int k;
    private int expectedRow;

    Output(int k, int fromRow) {
        this.k = k;
        this.expectedRow = fromRow;
    }

    static String line(int row, int[] neighbors, float[] scores, int count) {
        StringBuilder sb = new StringBuilder().append(row).append(':');
        for (int r = 0; r < count; r++) {
            sb.append(' ').append(neighbors[r]).append('=').append(scores[r])
                    .append('/').append(Integer.toHexString(Float.floatToRawIntBits(scores[r])));
        }
        return sb.toString();
    }

    @Override
    public void accept(int row, int[] neighbors, float[] scores, int count) {
        if (row != expectedRow) {
            throw new AssertionError("row " + row + " emitted, expected " + expectedRow);
        }
        if (count < 0 || count > k) {
            throw new AssertionError("row " + row + ": count " + count + " outside [0, " + k + "]");
        }
        expectedRow++;
        lines.add(line(row, neighbors, scores, count));
    }

    List<String> lines() {
        return lines;
    }

    /** Output of one engine run over a range. */
    static List<String> of(TopKEngine engine, CsrMatrix a, CsrMatrix aT, PairScorer scorer, int k, int from, int to) {
        Output out = new Output(k, from);
        engine.run(a, aT, scorer, k, from, to, out, BlockListener.NONE);
        out.checkComplete(to);
        return out.lines();
    }

    void checkComplete(int toRow) {
        if (expectedRow != toRow) {
            throw new AssertionError("emission stopped at row " + expectedRow + ", expected up to " + toRow);
        }
    }
}
