package dev.recstage.tools.evaluate;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.io.Json;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.stage.StageRun;
import dev.recstage.tools.evaluate.Evaluation.Row;
import dev.recstage.tools.evaluate.Evaluation.SweepPoint;
import dev.recstage.tools.evaluate.StageRunner.Cost;
import dev.recstage.tools.generate.CsvOut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: splits the interactions in time, runs the pipeline's stages on the training
 * part as separate processes (the code and memory limits of production) or, with
 * {@code --in-process}, their same code in this JVM, and scores the held-out part. See README "How good are the recommendations?".
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Offline quality: split the interactions in time, run features -> content-similarity -> "
                + "behavior-cooccurrence -> recommend on the training part, score the held-out events "
                + "(precision, recall, NDCG, MAP, hit rate at 10 and 20, coverage, popularity) for the rows "
                + "popularity, content, behavior and blend, and sweep settings against each stage's memory and time.")
public class EvaluateCommand implements Runnable {
    static final String STAGE = "evaluate";
    static final List<String> ROWS = List.of("popularity", "content", "behavior", "blend");

    @Option(names = "--items", required = true, description = "Items file, as for features.")
    Path items;

    @Option(names = "--interactions", required = true, description = "Interactions file, as for features.")
    Path interactions;

    @Option(names = "--embeddings", description = "Optional embeddings, as for features.")
    Path embeddings;

    @Option(names = "--items-map", paramLabel = "COL=SOURCE", description = "As for features.")
    List<String> itemsMap = new ArrayList<>();

    @Option(names = "--interactions-map", paramLabel = "COL=SOURCE", description = "As for features.")
    List<String> interactionsMap = new ArrayList<>();

    @Option(names = "--tag-separator", description = "As for features.")
    String tagSeparator;

    @Option(names = "--since", paramLabel = "TIME", description = "As for features: only interactions at or after TIME are evaluated.")
    String since;

    @Option(names = "--max-reject-ratio", description = "As for features.")
    String maxRejectRatio;

    @Option(names = "--test-ratio", paramLabel = "R",
            description = "Per user, the last floor(n × R) of the user's n events are held out (default 0.25).")
    Double testRatio;

    @Option(names = "--test-days", paramLabel = "D",
            description = "Instead of --test-ratio: every event of the last D days (before the latest event) is held out.")
    Integer testDays;

    @Option(names = "--sweep", paramLabel = "NAME=v1,v2,...",
            description = "Evaluate the blend at each value of the setting NAME (repeatable), e.g. SIMILARITY_TOP_K=50,100,200.")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "2",
            description = "Independent stage runs at a time (content beside behaviour, the recommend rows); 1 for undisturbed stage times (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--in-process",
            description = "Run the stages in this JVM, one after another, instead of each in its own process: one JVM start-up "
                    + "instead of eight, for data sets small enough for evaluate's own memory limit (EVALUATE_MEMORY_LIMIT). "
                    + "Each stage's peak RSS is then not its own, so --sweep is refused with it.")
    boolean inProcess;

    @Option(names = "--split-only", description = "Write split/train.csv and split/test.csv and stop.")
    boolean splitOnly;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (replaced atomically).")
    Path out;

    @Override
    public void run() {
        SplitRule rule = SplitRule.of(testRatio, testDays);
        List<Sweep> sweepList = sweeps.stream().map(Sweep::parse).toList();
        if (inProcess && !sweepList.isEmpty()) {
            throw StageException.usage("--in-process with --sweep: a sweep reports each stage's own peak RSS, which needs each stage "
                    + "in its own process; drop --in-process to sweep");
        }
        Path launcherPath = inProcess ? null : StageLauncher.findLauncher(); // a usage error before any work
        // In one JVM the stages run one at a time: each one's memory plan counts on the whole heap.
        int parallel = inProcess ? 1 : jobs;
        long start = System.nanoTime();
        try (StageRun run = StageRun.start(STAGE, out)) {
            StageRunner stages = inProcess ? new InProcessStages() : new StageLauncher(launcherPath, run.outputDirectory("logs"));
            Path work = run.outputFile("work");

            Cost fullFeatures = stages.run("features-all", Stages.FEATURES, Map.of(), featuresArgs(interactions, true), work.resolve("features-all"));
            InteractionLog log = run.step("read interactions", () -> InteractionLog.read(FeaturesInput.open(work.resolve("features-all")), run.allocator()));
            boolean[] test = rule.testRows(log);
            HeldOut heldOut = new HeldOut(log, test);
            Evaluation.Split split = rule.describe(log, heldOut);
            run.step("write split", () -> writeSplit(log, test, run.outputDirectory("split")));
            run.manifest().stats.put("split", split);
            run.log().infof("evaluate: %,d training and %,d held-out events; %,d users scored, %,d cold",
                    heldOut.trainEvents(), heldOut.testEvents(), heldOut.scoredUsers(), heldOut.coldUsers());
            if (splitOnly) {
                finish(run, List.of("split/train.csv", "split/test.csv"));
                return;
            }
            if (heldOut.scoredUsers() == 0) {
                throw StageException.input(interactions + ": no user has both training and held-out events under " + rule.describeShort()
                        + " (users need at least 1 / ratio events)");
            }

            Pipeline base = new Pipeline(stages, work, featuresArgs(run.outputFile("split/train.csv"), false));
            Cost trainFeatures = base.features();
            List<Cost> neighbours = Concurrently.run(parallel, List.of(
                    () -> base.content(Map.of(), work.resolve("content")),
                    () -> base.behavior(Map.of(), work.resolve("behavior"))));
            Cost content = neighbours.get(0);
            Cost behavior = neighbours.get(1);
            Scoring scoring = new Scoring(heldOut);
            List<Row> rows = new ArrayList<>();
            int[][] popular = PopularityBaseline.lists(heldOut.popularity(), heldOut.trainItems(), heldOut.relevant(), Scoring.listLength());
            RecommendationLists popularity = RecommendationLists.ranked(popular);
            popularity.writeCsv(listsFile(run, "popularity"), log);
            rows.add(new Row("popularity", scoring.score(popular), List.of(fullFeatures, trainFeatures)));
            Map<String, Map<String, String>> weights = Map.of(
                    "content", Map.of("RELATED_BEHAVIOR_WEIGHT", "0"),
                    "behavior", Map.of("RELATED_CONTENT_WEIGHT", "0"),
                    "blend", Map.of());
            List<String> recommendRows = ROWS.subList(1, ROWS.size());
            List<Cost> recommendCosts = Concurrently.run(parallel, recommendRows.stream().<Supplier<Cost>>map(row -> () -> base.recommend(
                    "recommend-" + row, weights.get(row), work.resolve("content"), work.resolve("behavior"), work.resolve("recommend-" + row))).toList());
            List<Examples.User> examples = List.of();
            for (int r = 0; r < recommendRows.size(); r++) {
                String row = recommendRows.get(r);
                Path dir = work.resolve("recommend-" + row);
                RecommendationLists lists = RecommendationLists.read(dir.resolve(Stages.USER_RECOMMENDATIONS_FILE), log, heldOut.relevant(), run.allocator());
                lists.writeCsv(listsFile(run, row), log);
                if (row.equals("blend")) {
                    examples = Examples.of(log, test, heldOut, lists, titles(work.resolve("features-all"), run));
                }
                rows.add(new Row(row, scoring.score(lists.items()), List.of(fullFeatures.asReused(), trainFeatures,
                        row.equals("behavior") ? content.asReused() : content, row.equals("content") ? behavior.asReused() : behavior,
                        recommendCosts.get(r))));
            }

            List<SweepPoint> points = new ArrayList<>();
            for (Sweep sweep : sweepList) {
                for (String value : sweep.values()) {
                    points.add(sweepPoint(run, base, sweep, value, log, heldOut, scoring, trainFeatures, content, behavior));
                }
            }
            double seconds = Math.round((System.nanoTime() - start) / 1e6) / 1000.0;
            Evaluation evaluation = new Evaluation(settings(rule, sweepList, work), split, rows, points, examples, seconds);
            writeReports(run, evaluation);
            List<String> files = new ArrayList<>(List.of("split/train.csv", "split/test.csv", "evaluation.json", "evaluation.md", "evaluation.png"));
            ROWS.forEach(row -> files.add("lists/" + row + ".csv"));
            finish(run, files);
        }
    }

    private SweepPoint sweepPoint(StageRun run, Pipeline base, Sweep sweep, String value, InteractionLog log, HeldOut heldOut,
                                  Scoring scoring, Cost trainFeatures, Cost content, Cost behavior) {
        Map<String, String> env = Map.of(sweep.name(), value);
        Path dir = run.outputFile("work").resolve("sweep").resolve(sweep.name() + "=" + value);
        List<String> upstream = sweep.upstreamStages();
        Cost contentCost = content.asReused();
        Path contentDir = run.outputFile("work").resolve("content");
        if (upstream.contains(Stages.CONTENT)) {
            contentDir = dir.resolve("content");
            contentCost = base.content(env, contentDir);
        }
        Cost behaviorCost = behavior.asReused();
        Path behaviorDir = run.outputFile("work").resolve("behavior");
        if (upstream.contains(Stages.BEHAVIOR)) {
            behaviorDir = dir.resolve("behavior");
            behaviorCost = base.behavior(env, behaviorDir);
        }
        Path recommendDir = dir.resolve("recommend");
        Cost recommend = base.recommend("sweep-" + sweep.name() + "=" + value + "-recommend", env, contentDir, behaviorDir, recommendDir);
        RecommendationLists lists = RecommendationLists.read(recommendDir.resolve(Stages.USER_RECOMMENDATIONS_FILE), log, heldOut.relevant(), run.allocator());
        return new SweepPoint(sweep.name(), value, sweep.sizedStage(), scoring.score(lists.items()),
                List.of(trainFeatures.asReused(), contentCost, behaviorCost, recommend));
    }

    /**
     * The features options given to evaluate. The training file written by evaluate has the
     * canonical column names, so the interactions map applies to the raw file only.
     */
    private List<String> featuresArgs(Path interactionsFile, boolean raw) {
        List<String> args = new ArrayList<>(List.of("--items", items.toString(), "--interactions", interactionsFile.toString()));
        itemsMap.forEach(m -> args.addAll(List.of("--items-map", m)));
        if (raw) {
            interactionsMap.forEach(m -> args.addAll(List.of("--interactions-map", m)));
            if (since != null) {
                args.addAll(List.of("--since", since));
            }
        }
        if (embeddings != null) {
            args.addAll(List.of("--embeddings", embeddings.toString()));
        }
        if (tagSeparator != null) {
            args.addAll(List.of("--tag-separator", tagSeparator));
        }
        if (maxRejectRatio != null) {
            args.addAll(List.of("--max-reject-ratio", maxRejectRatio));
        }
        return args;
    }

    /**
     * split/train.csv and split/test.csv: the cleaned interactions with their original ids and
     * epoch-second times. The weight column is written only when the raw file had one, so that the
     * training run weighs events as a run on the raw file would.
     */
    private static void writeSplit(InteractionLog log, boolean[] test, Path dir) {
        String[] columns = log.weightColumn()
                ? new String[] {"user_id", "item_id", "event_type", "create_time", "weight"}
                : new String[] {"user_id", "item_id", "event_type", "create_time"};
        try (CsvOut train = new CsvOut(dir.resolve("train.csv"), columns);
             CsvOut held = new CsvOut(dir.resolve("test.csv"), columns)) {
            String[] row = new String[columns.length];
            for (int r = 0; r < log.size(); r++) {
                row[0] = log.userIds()[log.user()[r]];
                row[1] = log.itemIds()[log.item()[r]];
                row[2] = log.eventNames().get(log.event()[r]);
                row[3] = Long.toString(log.epochSeconds()[r]);
                if (log.weightColumn()) {
                    row[4] = Float.toString(log.weight()[r]);
                }
                (test[r] ? held : train).row(row);
            }
        }
    }

    private static String[] titles(Path features, StageRun run) {
        FeaturesInput input = FeaturesInput.open(features);
        String[] titles = new String[input.itemCount()];
        input.forEachItemText(List.of("title"), run.allocator(), (item, fields) -> titles[item] = fields[0]);
        return titles;
    }

    private static Path listsFile(StageRun run, String row) {
        return run.outputDirectory("lists").resolve(row + ".csv");
    }

    private Map<String, Object> settings(SplitRule rule, List<Sweep> sweepList, Path work) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("split", rule.describeShort());
        settings.put("k", Scoring.KS);
        settings.put("list_length", Scoring.listLength());
        settings.put("items", items.toString());
        settings.put("interactions", interactions.toString());
        settings.put("sweep", sweepList);
        // The effective configuration of each base stage run, from its manifest.
        Map<String, Object> stages = new LinkedHashMap<>();
        for (String dir : List.of("features", "content", "behavior", "recommend-blend")) {
            try {
                stages.put(dir, Json.MAPPER.readValue(work.resolve(dir).resolve(Manifest.FILE_NAME).toFile(), Manifest.class).config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        settings.put("stage_config", stages);
        return settings;
    }

    private void writeReports(StageRun run, Evaluation evaluation) {
        run.step("write reports", () -> {
            try {
                Json.MAPPER.writeValue(run.outputFile("evaluation.json").toFile(), evaluation);
                Files.writeString(run.outputFile("evaluation.md"), EvaluationMarkdown.render(evaluation, commandLine()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EvaluationChart.write(evaluation, run.outputFile("evaluation.png"));
        });
    }

    private String commandLine() {
        List<String> args = new ArrayList<>(List.of("bin/recstage", STAGE, "--items", items.toString(), "--interactions", interactions.toString()));
        itemsMap.forEach(m -> args.addAll(List.of("--items-map", m)));
        interactionsMap.forEach(m -> args.addAll(List.of("--interactions-map", m)));
        if (testDays != null) {
            args.addAll(List.of("--test-days", testDays.toString()));
        } else if (testRatio != null) {
            args.addAll(List.of("--test-ratio", testRatio.toString()));
        }
        args.add(inProcess ? "--in-process" : "--jobs " + jobs);
        sweeps.forEach(s -> args.addAll(List.of("--sweep", s)));
        args.addAll(List.of("--out", out.toString()));
        return String.join(" ", args);
    }

    private static void finish(StageRun run, List<String> files) {
        for (String file : files) {
            run.recordOutput(file, null);
        }
        run.commit();
    }

    /** The stages on the training part: one features output that every other run reads. */
    private static final class Pipeline {
        private final StageRunner stages;
        private final Path work;
        private final List<String> featuresArgs;

        Pipeline(StageRunner stages, Path work, List<String> featuresArgs) {
            this.stages = stages;
            this.work = work;
            this.featuresArgs = featuresArgs;
        }

        Path featuresDir() {
            return work.resolve("features");
        }

        Cost features() {
            return stages.run("features", Stages.FEATURES, Map.of(), featuresArgs, featuresDir());
        }

        Cost content(Map<String, String> env, Path out) {
            return stages.run(label(out), Stages.CONTENT, env, List.of("--features", featuresDir().toString()), out);
        }

        Cost behavior(Map<String, String> env, Path out) {
            return stages.run(label(out), Stages.BEHAVIOR, env, List.of("--features", featuresDir().toString()), out);
        }

        Cost recommend(String label, Map<String, String> env, Path content, Path behavior, Path out) {
            Map<String, String> withLength = new LinkedHashMap<>(env);
            // Lists as long as the largest k, whatever USER_TOP_N says elsewhere.
            withLength.put("USER_TOP_N", Integer.toString(Scoring.listLength()));
            return stages.run(label, Stages.RECOMMEND, withLength, List.of("--features", featuresDir().toString(),
                    "--content", content.toString(), "--behavior", behavior.toString()), out);
        }

        private String label(Path out) {
            return work.relativize(out).toString().replace('/', '-');
        }
    }
}
