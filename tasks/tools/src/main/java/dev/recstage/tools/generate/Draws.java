package dev.recstage.tools.generate;

import java.util.SplittableRandom;

/**
 * Deterministic random draws. Everything goes through {@link SplittableRandom} (its algorithm is
 * fixed by the JDK's specification) and {@link StrictMath}, so that one seed gives byte-identical
 * files on any JVM and platform.
 */
final class Draws {
    /** What a stream of draws is for; each has its own streams. Append only: codes are part of the output. */
    enum Purpose {
        VOCABULARY(1), TOPICS(2), ITEMS(3), USERS(4), POPULARITY(5), ACTIVITY(6), TOPIC_CENTRES(7), ORIGIN_NOISE(8),
        EDITION_NOISE(9);

        private final long code;

        Purpose(long code) {
            this.code = code;
        }
    }

    private Draws() {
    }

    /** An independent stream for one purpose and one index (an item, a user) under a seed. */
    static SplittableRandom stream(long seed, Purpose purpose, long index) {
        return new SplittableRandom(mix(mix(seed ^ 0x9E3779B97F4A7C15L * purpose.code) ^ index));
    }

    /** Standard normal draw (Box–Muller). */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
        double v = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * StrictMath.PI * v);
    }

    /** An integer uniform in [min, max]. */
    static int between(SplittableRandom rng, int min, int max) {
        return min + rng.nextInt(max - min + 1);
    }

    static boolean chance(SplittableRandom rng, double probability) {
        return rng.nextDouble() < probability;
    }

    /** SplitMix64's finaliser: spreads nearby seeds over the whole 64-bit range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
