package dev.recstage.tools.evaluate;

import java.util.Arrays;

/**
 * The two sides of a split in the index space of the full log: per user the distinct items of the
 * training part and of the held-out part, and each item's training popularity. Users scored: those
 * with held-out events and at least one training event (a user seen only in the test part, possible
 * with a time cut, has nothing to recommend from: counted as cold, not scored).
 */
public final class HeldOut {
    private final int[][] trainItems;
    private final int[][] relevant;
    private final int[] popularity;
    private final long trainEvents;
    private final long testEvents;
    private final int coldUsers;

    public HeldOut(InteractionLog log, boolean[] test) {
        int users = log.userIds().length;
        int items = log.itemIds().length;
        ItemSets train = new ItemSets(users);
        ItemSets held = new ItemSets(users);
        long testRows = 0;
        for (int r = 0; r < log.size(); r++) {
            if (test[r]) {
                held.add(log.user()[r], log.item()[r]);
                testRows++;
            } else {
                train.add(log.user()[r], log.item()[r]);
            }
        }
        trainItems = train.toArrays();
        int[][] truth = held.toArrays();
        int cold = 0;
        for (int u = 0; u < users; u++) {
            if (truth[u] != null && trainItems[u] == null) {
                truth[u] = null;
                cold++;
            }
        }
        relevant = truth;
        popularity = new int[items];
        for (int[] seen : trainItems) {
            if (seen != null) {
                for (int item : seen) {
                    popularity[item]++;
                }
            }
        }
        testEvents = testRows;
        trainEvents = log.size() - testRows;
        coldUsers = cold;
    }

    /** Per user the distinct held-out items (sorted), null for a user not scored. */
    public int[][] relevant() {
        return relevant;
    }

    /** Per user the distinct training items (sorted), null for a user without training events. */
    public int[][] trainItems() {
        return trainItems;
    }

    /** Per item the number of distinct users with a training event on it. */
    public int[] popularity() {
        return popularity;
    }

    public long trainEvents() {
        return trainEvents;
    }

    public long testEvents() {
        return testEvents;
    }

    public int coldUsers() {
        return coldUsers;
    }

    public int scoredUsers() {
        return (int) Arrays.stream(relevant).filter(r -> r != null).count();
    }

    public long relevantPairs() {
        return Arrays.stream(relevant).filter(r -> r != null).mapToLong(r -> r.length).sum();
    }

    /** Distinct items per user, collected row by row. */
    private static final class ItemSets {
        private final int[][] items;
        private final int[] sizes;

        ItemSets(int users) {
            items = new int[users][];
            sizes = new int[users];
        }

        void add(int user, int item) {
            if (items[user] == null) {
                items[user] = new int[4];
            } else if (sizes[user] == items[user].length) {
                items[user] = Arrays.copyOf(items[user], sizes[user] * 2);
            }
            items[user][sizes[user]++] = item;
        }

        int[][] toArrays() {
            int[][] distinct = new int[items.length][];
            for (int u = 0; u < items.length; u++) {
                if (items[u] != null) {
                    distinct[u] = Arrays.stream(items[u], 0, sizes[u]).sorted().distinct().toArray();
                }
            }
            return distinct;
        }
    }
}
