package dev.recstage.features.input;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Parses another source on its own thread, a few batches ahead of the caller, so that parsing
 * (about half the time of a row) overlaps with what the caller does with the rows. Rows, their
 * order and the parser's failures (rethrown when the caller reaches them) are those of the
 * source; memory is bounded by {@link #BATCH_ROWS} × {@link #BATCHES_AHEAD} rows.
 */
final class ReadAheadRecordSource extends RecordSource {
    static final int BATCH_ROWS = 256;
    static final int BATCHES_AHEAD = 2;

    /** Up to {@link #BATCH_ROWS} rows; {@code end} after the last row or with the parser's failure. */
    private record Batch(RawRecord[] rows, int size, boolean end, RuntimeException failure) {
    }

    private final RecordSource source;
    private final BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final Thread reader;
    private Batch current = new Batch(new RawRecord[0], 0, false, null);
    private int position;

    ReadAheadRecordSource(RecordSource source) {
        super(source);
        this.source = source;
        this.reader = new Thread(this::readAhead, "read-ahead " + source.fileName());
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            while (true) {
                RawRecord[] rows = new RawRecord[BATCH_ROWS];
                int size = 0;
                RawRecord record = null;
                while (size < BATCH_ROWS && (record = source.next()) != null) {
                    rows[size++] = record;
                }
                batches.put(new Batch(rows, size, record == null, null));
                if (record == null) {
                    return;
                }
            }
        } catch (RuntimeException failure) {
            putQuietly(new Batch(new RawRecord[0], 0, true, failure));
        } catch (InterruptedException closed) {
            // The caller closed this source before the end.
        }
    }

    private void putQuietly(Batch batch) {
        try {
            batches.put(batch);
        } catch (InterruptedException closed) {
            // The caller closed this source; nobody waits for the failure.
        }
    }

    @Override
    protected RawRecord read() {
        while (position == current.size()) {
            if (current.end()) {
                if (current.failure() != null) {
                    throw current.failure();
                }
                return null;
            }
            current = take();
            position = 0;
        }
        return current.rows()[position++];
    }

    private Batch take() {
        try {
            return batches.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + fileName, e);
        }
    }

    @Override
    protected boolean present(int column) {
        return source.present(column);
    }

    /** Stops the reading thread before closing the source it reads. */
    @Override
    public void close() {
        reader.interrupt();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
