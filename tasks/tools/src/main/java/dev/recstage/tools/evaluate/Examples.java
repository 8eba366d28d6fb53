package dev.recstage.tools.evaluate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A few users' lists in words: what they had last in training, what the blend recommends and
 * because of which history item, and whether they went on to use it. Titles, not ids.
 */
public final class Examples {
    static final int USERS = 3;
    static final int SHOWN = 5;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recommendation(String title, String because, boolean heldOut) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record User(String userId, List<String> recentHistory, int heldOutItems, List<Recommendation> recommendations) {
    }

    private Examples() {
    }

    /** The first {@link #USERS} scored users in user order, with the top {@link #SHOWN} of their lists. */
    public static List<User> of(InteractionLog log, boolean[] test, HeldOut heldOut, RecommendationLists lists, String[] titles) {
        Map<String, Integer> itemIndex = new HashMap<>();
        for (int i = 0; i < log.itemIds().length; i++) {
            itemIndex.put(log.itemIds()[i], i);
        }
        List<User> users = new ArrayList<>();
        for (int u = 0; u < heldOut.relevant().length && users.size() < USERS; u++) {
            int[] relevant = heldOut.relevant()[u];
            if (relevant == null || lists.items()[u] == null) {
                continue;
            }
            List<Recommendation> shown = new ArrayList<>();
            for (int r = 0; r < Math.min(SHOWN, lists.items()[u].length); r++) {
                int item = lists.items()[u][r];
                String because = lists.because()[u] == null ? null : lists.because()[u][r];
                Integer becauseItem = because == null ? null : itemIndex.get(because);
                shown.add(new Recommendation(title(titles, log, item),
                        becauseItem == null ? because : title(titles, log, becauseItem), Arrays.binarySearch(relevant, item) >= 0));
            }
            users.add(new User(log.userIds()[u], recentHistory(log, test, u, titles), relevant.length, shown));
        }
        return users;
    }

    /** The user's last three distinct training items, latest first. */
    private static List<String> recentHistory(InteractionLog log, boolean[] test, int user, String[] titles) {
        List<Integer> seen = new ArrayList<>();
        for (int r = log.size() - 1; r >= 0 && seen.size() < 3; r--) {
            int item = log.item()[r];
            if (log.user()[r] == user && !test[r] && !seen.contains(item)) {
                seen.add(item);
            }
        }
        return seen.stream().map(item -> title(titles, log, item)).toList();
    }

    private static String title(String[] titles, InteractionLog log, int item) {
        String title = titles[item];
        return title == null || title.isBlank() ? log.itemIds()[item] : title;
    }
}
