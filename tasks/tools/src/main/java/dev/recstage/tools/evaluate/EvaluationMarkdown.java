package dev.recstage.tools.evaluate;

import dev.recstage.tools.evaluate.Evaluation.AtK;
import dev.recstage.tools.evaluate.Evaluation.Row;
import dev.recstage.tools.evaluate.Evaluation.SweepPoint;
import dev.recstage.tools.evaluate.StageRunner.Cost;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** evaluation.md: the rows' table, the stages' cost, and the sweep's quality beside memory and time. */
public final class EvaluationMarkdown {
    private static final List<String> PIPELINE = List.of(Stages.FEATURES, Stages.CONTENT, Stages.BEHAVIOR, Stages.RECOMMEND);

    private EvaluationMarkdown() {
    }

    public static String render(Evaluation evaluation, String command) {
        StringBuilder md = new StringBuilder("# recstage evaluate\n\n");
        Evaluation.Split split = evaluation.split();
        md.append(String.format(Locale.ROOT, "`%s`%n%nSplit: %s; %,d events: %,d training, %,d held out; %,d users scored "
                        + "(%,d distinct held-out user-item pairs), %,d cold (held-out events only, not scored); %,d items. "
                        + "Whole run %.1f s.%n%n",
                command, split.method().equals("per_user_ratio") ? "last " + split.testRatio() + " of each user's events" : "events of the last " + split.testDays() + " days",
                split.events(), split.trainEvents(), split.testEvents(), split.scoredUsers(), split.relevantPairs(), split.coldUsers(), split.items(),
                evaluation.wallSeconds()));
        md.append("| row | P@10 | R@10 | NDCG@10 | MAP@10 | HR@10 | P@20 | R@20 | NDCG@20 | MAP@20 | HR@20 | coverage@20 | popularity pct@20 |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : evaluation.rows()) {
            AtK a = row.metrics().get("10");
            AtK b = row.metrics().get("20");
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.3f | %.1f |%n",
                    row.row(), a.precision(), a.recall(), a.ndcg(), a.map(), a.hitRate(),
                    b.precision(), b.recall(), b.ndcg(), b.map(), b.hitRate(), b.coverage(), b.popularityPercentile()));
        }
        md.append("\nMetrics as Microsoft Recommenders 1.2.1 `python_evaluation` (binary relevance); coverage: distinct "
                + "recommended items / catalogue; popularity pct: mean training-popularity percentile of what is recommended.\n\n");
        boolean inProcess = evaluation.rows().stream().flatMap(row -> row.stages().stream()).anyMatch(Cost::inProcess);
        md.append(inProcess
                ? "Stage cost per row (wall s / peak RSS MB of evaluate's whole process so far: the stages ran in it, --in-process; "
                        + "*reused* = an earlier row's run):\n\n"
                : "Stage cost per row (wall s including JVM start / peak RSS MB; *reused* = an earlier row's run):\n\n");
        md.append("| row | ").append(String.join(" | ", PIPELINE)).append(" |\n|---|---|---|---|---|\n");
        for (Row row : evaluation.rows()) {
            md.append("| ").append(row.row()).append(" | ");
            md.append(PIPELINE.stream().map(stage -> row.stages().stream().filter(c -> c.stage().equals(stage)).findFirst()
                    .map(EvaluationMarkdown::cost).orElse("–")).collect(Collectors.joining(" | "))).append(" |\n");
        }
        if (!evaluation.sweep().isEmpty()) {
            md.append("\n## Sweep (blend row; other settings as in the base run)\n\n");
            md.append("| setting | NDCG@10 | R@10 | P@10 | NDCG@20 | coverage@20 | content-similarity | behavior-cooccurrence | recommend |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (SweepPoint point : evaluation.sweep()) {
                AtK a = point.metrics().get("10");
                AtK b = point.metrics().get("20");
                md.append(String.format(Locale.ROOT, "| %s=%s | %.4f | %.4f | %.4f | %.4f | %.3f | %s | %s | %s |%n",
                        point.setting(), point.value(), a.ndcg(), a.recall(), a.precision(), b.ndcg(), b.coverage(),
                        cost(point.cost(Stages.CONTENT)), cost(point.cost(Stages.BEHAVIOR)), cost(point.cost(Stages.RECOMMEND))));
            }
            md.append("\nStage cells: wall s / peak RSS MB of the stage's own process; *reused* = the base run's output.\n");
        }
        if (!evaluation.examples().isEmpty()) {
            md.append("\n## A few users (blend, top ").append(Examples.SHOWN).append("; ✓ = among the user's held-out items)\n\n");
            for (Examples.User user : evaluation.examples()) {
                md.append(String.format(Locale.ROOT, "**User %s** (%d held-out items; last in training: %s)%n%n",
                        user.userId(), user.heldOutItems(), String.join("; ", user.recentHistory())));
                int rank = 1;
                for (Examples.Recommendation rec : user.recommendations()) {
                    md.append(String.format(Locale.ROOT, "%d. %s%s%s%n", rank++, rec.title(),
                            rec.because() == null ? "" : " — because of " + rec.because(), rec.heldOut() ? " ✓" : ""));
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static String cost(Cost cost) {
        return String.format(Locale.ROOT, "%.2f s / %d MB%s", cost.wallSeconds(), cost.peakRssBytes() >> 20, cost.reused() ? " *reused*" : "");
    }
}
