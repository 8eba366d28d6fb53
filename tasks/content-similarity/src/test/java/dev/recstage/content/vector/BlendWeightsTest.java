package dev.recstage.content.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector floor of a blend target: the least float that reaches it, to the ulp. */
class BlendWeightsTest {

    @Test
    void theFloorReachesTheTargetAndTheFloatBelowItDoesNot() {
        Random random = new Random(11);
        for (int trial = 0; trial < 100_000; trial++) {
            BlendWeights weights = new BlendWeights(random.nextInt(4) == 0 ? 0 : random.nextDouble(), 0.01 + random.nextDouble());
            float text = random.nextFloat();
            float target = weights.blend(text, 2 * random.nextFloat() - 1);
            float floor = weights.leastVectorReaching(text, target);
            String where = weights + ", text " + text + ", target " + target + ", floor " + floor;
            assertTrue(weights.blend(text, floor) >= target, where);
            assertTrue(weights.blend(text, Math.nextDown(floor)) < target, where);
        }
    }

    @Test
    void withoutAVectorWeightEveryScoreIsKept() {
        assertEquals(Float.NEGATIVE_INFINITY, new BlendWeights(1, 0).leastVectorReaching(0.3f, 0.5f));
    }
}
