package dev.recstage.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.engine.BlockListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchProgressTest {
    @Test
    void announcesThenCountsBatchesOfRows() {
        List<String> log = new ArrayList<>();
        BlockListener listener = BatchProgress.announce(20, 8, 4, log::add);
        assertEquals(List.of("Computing similarity in batches (total=20, batch_size=8, top_k=4)"), log);
        listener.blockDone(8, 20);
        listener.blockDone(16, 20);
        listener.blockDone(20, 20);
        String last = log.get(log.size() - 1);
        assertTrue(last.startsWith("Progress: 3/3 batches (100.0%)"), last);
    }

    @Test
    void aBatchLargerThanTheRowsIsOneBatch() {
        List<String> log = new ArrayList<>();
        BatchProgress.announce(5, 1000, 10, log::add).blockDone(5, 5);
        assertEquals("Computing similarity in batches (total=5, batch_size=1000, top_k=10)", log.get(0));
        assertTrue(log.get(1).startsWith("Progress: 1/1 batches (100.0%)"), log.get(1));
    }
}
