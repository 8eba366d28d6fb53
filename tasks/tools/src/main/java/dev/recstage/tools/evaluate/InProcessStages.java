package dev.recstage.tools.evaluate;

import dev.recstage.behavior.BehaviorCooccurrenceCommand;
import dev.recstage.content.ContentSimilarityCommand;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.cli.UsageErrors;
import dev.recstage.features.FeaturesCommand;
import dev.recstage.recommend.RecommendCommand;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import picocli.CommandLine;

/**
 * Runs a stage's own command in evaluate's JVM ({@code evaluate --in-process}): one JVM start-up
 * and one warm-up for the whole evaluation instead of one per stage, which on a small data set is
 * most of the time. The command gets what Quarkus would give it in its own process: its options
 * parsed by picocli, and its configuration mappings read from the environment, here with the run's
 * {@code env} on top (as a child's environment would be). Its memory plan sees evaluate's budget and
 * heap, and the peak RSS in its manifest is evaluate's process's so far, not the stage's alone.
 * The mappings' classes are generated at run time, which a native image cannot do: evaluate ships as
 * a JVM image only (docker/Dockerfile.evaluate).
 */
final class InProcessStages implements StageRunner {
    private static final Logger LOG = Logger.getLogger("recstage");
    /** Above the environment (300) and system properties (400), as a child's own environment would be. */
    private static final int OVERRIDE_ORDINAL = 500;
    private static final Map<String, Supplier<Runnable>> COMMANDS = Map.of(
            Stages.FEATURES, FeaturesCommand::new,
            Stages.CONTENT, ContentSimilarityCommand::new,
            Stages.BEHAVIOR, BehaviorCooccurrenceCommand::new,
            Stages.RECOMMEND, RecommendCommand::new);

    @Override
    public Cost run(String label, String stage, Map<String, String> env, List<String> args, Path out) {
        Runnable command = COMMANDS.get(stage).get();
        List<String> arguments = new ArrayList<>(args);
        arguments.addAll(List.of("--out", out.toString()));
        LOG.infof("evaluate: %s: %s %s%s (in process)", label, stage, String.join(" ", args), env.isEmpty() ? "" : " with " + env);
        long start = System.nanoTime();
        try {
            parse(command, arguments);
            inject(command, env);
            command.run();
        } catch (StageException e) {
            throw new StageException(e.exitCode(), stage + " (" + label + "): " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Cost cost = Cost.of(stage, seconds, out, true);
        LOG.infof("evaluate: %s done in %.2f s (%.2f s in its steps, in process)", label, seconds, cost.stepSeconds());
        return cost;
    }

    private static void parse(Runnable command, List<String> arguments) {
        try {
            new CommandLine(command).parseArgs(arguments.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw StageException.usage(UsageErrors.message(e));
        }
    }

    /** Sets each {@code @Inject} field of the command (its configuration mappings) from the environment with {@code env} on top. */
    private static void inject(Runnable command, Map<String, String> env) {
        List<Field> fields = new ArrayList<>();
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources()
                .withSources(new EnvConfigSource(env, OVERRIDE_ORDINAL))
                // The environment holds much besides the stage's settings, as it does in the stage's own process.
                .withValidateUnknown(false);
        for (Field field : command.getClass().getDeclaredFields()) {
            if (field.isAnnotationPresent(Inject.class)) {
                fields.add(field);
                builder.withMapping(field.getType());
            }
        }
        SmallRyeConfig config = builder.build();
        try {
            for (Field field : fields) {
                field.setAccessible(true);
                field.set(command, config.getConfigMapping(field.getType()));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot configure " + command.getClass().getSimpleName(), e);
        }
    }
}
