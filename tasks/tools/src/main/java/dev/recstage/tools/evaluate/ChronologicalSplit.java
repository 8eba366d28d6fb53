package dev.recstage.tools.evaluate;

/**
 * Which interactions are held out. Rows come as the features stage writes them: grouped by user,
 * each user's rows in time order (ties by item index, then event code), so "the last rows of a user"
 * is "the user's latest events".
 */
public final class ChronologicalSplit {
    private static final long DAY_SECONDS = 86_400L;

    private ChronologicalSplit() {
    }

    /**
     * Per user, the last floor(n × ratio) of the user's n events are test. A user with fewer than
     * 1 / ratio events keeps all of them in training and is not scored; every scored user has at
     * least one training event, since floor(n × ratio) < n for a ratio below 1.
     */
    public static boolean[] lastShareOfEachUser(int[] user, double ratio) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("the test ratio must be between 0 and 1 (exclusive), got " + ratio);
        }
        boolean[] test = new boolean[user.length];
        int start = 0;
        while (start < user.length) {
            int end = start;
            while (end < user.length && user[end] == user[start]) {
                end++;
            }
            if (end < user.length && user[end] < user[start]) {
                throw new IllegalArgumentException("rows are not grouped by user at row " + end);
            }
            int n = end - start;
            // The small epsilon keeps products such as 10 × 0.3 = 2.9999999999999996 at 3.
            int held = (int) Math.floor(n * ratio + 1e-9);
            for (int r = end - held; r < end; r++) {
                test[r] = true;
            }
            start = end;
        }
        return test;
    }

    /** Every event strictly after (latest event − days) is test: one cut in time for everyone. */
    public static boolean[] lastDays(long[] epochSeconds, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("the test days must be at least 1, got " + days);
        }
        long latest = Long.MIN_VALUE;
        for (long t : epochSeconds) {
            latest = Math.max(latest, t);
        }
        long cut = latest - days * DAY_SECONDS;
        boolean[] test = new boolean[epochSeconds.length];
        for (int r = 0; r < epochSeconds.length; r++) {
            test[r] = epochSeconds[r] > cut;
        }
        return test;
    }
}
