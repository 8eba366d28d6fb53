package dev.recstage.tools.generate;

import java.nio.file.Path;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes {@code interactions.csv} in time order, as a log would have it: every user's lazily
 * generated {@link EventStream} merged by time, so memory grows with users, not with events.
 * Users have log-normal activity and a few favourite topics; an optional crawler account takes a
 * given share of all events, spread over many distinct items within one month.
 */
final class InteractionsGenerator {
    static final String FILE = "interactions.csv";
    static final String[] COLUMNS = {"user_id", "item_id", "event_type", "create_time"};
    static final String[] EVENT_TYPES = {"view", "download", "favorite"};
    private static final double[] EVENT_SHARES = {0.80, 0.15, 0.05};
    private static final double[] CRAWLER_EVENT_SHARES = {0.95, 0.05};
    /** Spread of the log-normal number of events per user: a few users do most. */
    private static final double ACTIVITY_SIGMA = 1.3;
    private static final double FAVOURITE_TOPIC_SHARE = 0.8;
    private static final double SESSION_SHARE = 0.5;
    /** Tries to find an item created before the event; after that the event keeps the last one. */
    private static final int CREATED_BEFORE_TRIES = 10;
    private static final double YEAR = 365.0 * 86_400;
    private static final double CRAWLER_WINDOW = 30.0 * 86_400;

    /** What was written, for the summary. */
    record Written(long events, int users, String crawlerId, long crawlerEvents, long[] eventTypeCounts) {
    }

    private final ItemCatalog items;
    private final Popularity popularity;
    private final long seed;
    private final double epoch;

    InteractionsGenerator(ItemCatalog items, int topicCount, long seed, long epoch) {
        this.items = items;
        this.popularity = new Popularity(items, topicCount, Draws.stream(seed, Draws.Purpose.POPULARITY, 0));
        this.seed = seed;
        this.epoch = epoch;
    }

    static String userId(int user) {
        return String.format("u%07d", user + 1);
    }

    /** {@code events} in all; the crawler (when its share is positive) is one more user after {@code users}. */
    Written write(Path file, int users, long events, long crawlerEvents) {
        long[] counts = eventsPerUser(users, events - crawlerEvents);
        PriorityQueue<EventStream> queue = new PriorityQueue<>(users + 1);
        for (int u = 0; u < users; u++) {
            queue.add(userStream(u, counts[u]));
        }
        String crawlerId = null;
        if (crawlerEvents > 0) {
            queue.add(crawlerStream(users, crawlerEvents));
            crawlerId = userId(users);
        }
        String[] userIds = new String[users + 1];
        for (int u = 0; u <= users; u++) {
            userIds[u] = userId(u);
        }
        long[] typeCounts = new long[EVENT_TYPES.length];
        IsoSeconds iso = new IsoSeconds();
        try (CsvOut csv = new CsvOut(file, COLUMNS)) {
            while (!queue.isEmpty()) {
                EventStream stream = queue.poll();
                int item = pickItem(stream);
                int type = pick(stream.rng, stream.crawler ? CRAWLER_EVENT_SHARES : EVENT_SHARES);
                typeCounts[type]++;
                csv.row(userIds[stream.user], items.ids()[item], EVENT_TYPES[type], iso.format(stream.second()));
                if (stream.next()) {
                    queue.add(stream);
                }
            }
            return new Written(csv.rows(), users + (crawlerId == null ? 0 : 1), crawlerId, crawlerEvents, typeCounts);
        }
    }

    /**
     * Log-normal activity, every user at least one event, exactly {@code total} in all: user u gets
     * 1 + its share of the rest, rounded so that the cumulative counts follow the cumulative weights.
     */
    private long[] eventsPerUser(int users, long total) {
        double[] cumulative = new double[users];
        double sum = 0;
        for (int u = 0; u < users; u++) {
            sum += StrictMath.exp(ACTIVITY_SIGMA * Draws.gaussian(Draws.stream(seed, Draws.Purpose.ACTIVITY, u)));
            cumulative[u] = sum;
        }
        long rest = total - users;
        long[] counts = new long[users];
        long given = 0;
        for (int u = 0; u < users; u++) {
            long upTo = (long) StrictMath.floor(rest * (cumulative[u] / sum));
            counts[u] = 1 + upTo - given;
            given = upTo;
        }
        return counts;
    }

    /** A user is active over part of the year (joining at some point), mostly in their favourite topics. */
    private EventStream userStream(int user, long count) {
        SplittableRandom rng = Draws.stream(seed, Draws.Purpose.USERS, user);
        double start = epoch - YEAR + rng.nextDouble() * 0.9 * YEAR;
        double end = start + (0.1 + 0.9 * rng.nextDouble()) * (epoch - start);
        int[] favourites = new int[Draws.between(rng, 1, 3)];
        for (int f = 0; f < favourites.length; f++) {
            // The topic of a random item: topics are favoured in proportion to their size.
            favourites[f] = items.topic()[rng.nextInt(items.size())];
        }
        return new EventStream(user, rng, count, start, Math.min(end, epoch - 1), favourites, false, SESSION_SHARE);
    }

    /** One account reading the catalogue end to end within a month, no sessions, no preferences. */
    private EventStream crawlerStream(int user, long count) {
        SplittableRandom rng = Draws.stream(seed, Draws.Purpose.USERS, user);
        double start = epoch - YEAR + rng.nextDouble() * (YEAR - CRAWLER_WINDOW);
        return new EventStream(user, rng, count, start, start + CRAWLER_WINDOW, new int[0], true, 0);
    }

    private int pickItem(EventStream stream) {
        int item = 0;
        for (int attempt = 0; attempt < CREATED_BEFORE_TRIES; attempt++) {
            item = candidate(stream);
            if (items.createTime()[item] <= stream.second()) {
                break;
            }
        }
        return item;
    }

    private int candidate(EventStream stream) {
        SplittableRandom rng = stream.rng;
        if (stream.crawler) {
            return rng.nextInt(items.size());
        }
        if (Draws.chance(rng, FAVOURITE_TOPIC_SHARE)) {
            // The first favourite topic is the strongest.
            int[] favourites = stream.favouriteTopics;
            int f = Draws.chance(rng, 0.6) ? 0 : rng.nextInt(favourites.length);
            return popularity.inTopic(favourites[f], rng);
        }
        return popularity.any(rng);
    }

    private static int pick(SplittableRandom rng, double[] shares) {
        double draw = rng.nextDouble();
        for (int i = 0; i < shares.length - 1; i++) {
            draw -= shares[i];
            if (draw < 0) {
                return i;
            }
        }
        return shares.length - 1;
    }
}
