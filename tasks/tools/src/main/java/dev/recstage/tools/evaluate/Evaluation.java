package dev.recstage.tools.evaluate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.recstage.tools.evaluate.StageRunner.Cost;
import java.util.List;
import java.util.Map;

/** evaluation.json: what was evaluated, how the data was split, and each row's and sweep setting's figures. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Evaluation(Map<String, Object> settings, Split split, List<Row> rows, List<SweepPoint> sweep,
                         List<Examples.User> examples, double wallSeconds) {

    /** The figures of one list set at one k. {@code users}: users scored (truth users with a list). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AtK(double precision, double recall, double ndcg, double map, double hitRate,
                      double coverage, double popularityPercentile, int users, int truthUsers) {
    }

    /** popularity, content, behavior or blend; metrics keyed by k ("10", "20"); the stages that made its lists. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Row(String row, Map<String, AtK> metrics, List<Cost> stages) {
    }

    /** The blend with one setting changed; stages marked reused are the base run's. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SweepPoint(String setting, String value, String sizedStage, Map<String, AtK> metrics, List<Cost> stages) {
        public Cost cost(String stage) {
            return stages.stream().filter(c -> c.stage().equals(stage)).findFirst().orElseThrow();
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Split(String method, Double testRatio, Integer testDays, long events, long trainEvents, long testEvents,
                        int users, int scoredUsers, int coldUsers, long relevantPairs, int items) {
    }
}
