package dev.recstage.content.vector;

/**
 * How the blended content score combines the two channels:
 * {@code (float) (text · textScore + vector · vectorScore)}, computed in double, where textScore
 * is the engine's canonical TF-IDF cosine and vectorScore the embedding cosine.
 */
public record BlendWeights(double text, double vector) {
    private static final int ORDER_KEY_OF_MINUS_INFINITY = orderKey(Float.NEGATIVE_INFINITY);
    private static final int ORDER_KEY_OF_INFINITY = orderKey(Float.POSITIVE_INFINITY);

    float blend(float textScore, float vectorScore) {
        return (float) (text * textScore + vector * vectorScore);
    }

    /**
     * The least vector score v with {@code blend(textScore, v) ≥ target}: every lower v blends
     * below the target (the blend never falls as v grows). -∞ when that cannot be said (no vector
     * weight), so that a caller keeping the items at or above it keeps them all.
     */
    float leastVectorReaching(float textScore, float target) {
        if (!(vector > 0) || !Float.isFinite(target)) {
            return Float.NEGATIVE_INFINITY;
        }
        // Floats in order are ints in order (orderKey); widen a bracket around the estimate, then halve it.
        float estimate = (float) ((target - text * textScore) / vector);
        int guess = orderKey(Float.isNaN(estimate) ? 0f : estimate);
        boolean reaches = blend(textScore, fromOrderKey(guess)) >= target;
        long low = guess;
        long high = guess;
        for (long step = 1; ; step *= 2) {
            if (reaches) {
                low = Math.max(ORDER_KEY_OF_MINUS_INFINITY, high - step);
                if (low == ORDER_KEY_OF_MINUS_INFINITY || blend(textScore, fromOrderKey((int) low)) < target) {
                    break;
                }
                high = low;
            } else {
                high = Math.min(ORDER_KEY_OF_INFINITY, low + step);
                if (blend(textScore, fromOrderKey((int) high)) >= target) {
                    break;
                }
                low = high;
            }
        }
        // blend(low) < target ≤ blend(high), except low = -∞, which blends to -∞ below any finite target.
        while (high - low > 1) {
            long middle = (low + high) >> 1;
            if (blend(textScore, fromOrderKey((int) middle)) >= target) {
                high = middle;
            } else {
                low = middle;
            }
        }
        return fromOrderKey((int) high);
    }

    /** An int that orders as its float does (negative floats' bits reversed). */
    private static int orderKey(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7fffffff;
    }

    private static float fromOrderKey(int key) {
        return Float.intBitsToFloat(key >= 0 ? key : key ^ 0x7fffffff);
    }
}
