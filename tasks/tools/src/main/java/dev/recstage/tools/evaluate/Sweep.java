package dev.recstage.tools.evaluate;

import dev.recstage.core.cli.StageException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --sweep NAME=v1,v2,...}: an environment setting and the values to evaluate it at, and
 * which stages it reaches. Only those stages run again per value (recommend always does: it reads
 * everything); the others' outputs and figures are the base run's.
 */
public record Sweep(String name, List<String> values) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    public static Sweep parse(String option) {
        int eq = option.indexOf('=');
        String name = eq < 0 ? "" : option.substring(0, eq).trim();
        if (!NAME.matcher(name).matches()) {
            throw StageException.usage("--sweep takes NAME=v1,v2,... with NAME an upper-case setting such as SIMILARITY_TOP_K, got '" + option + "'");
        }
        List<String> values = new ArrayList<>();
        for (String value : option.substring(eq + 1).split(",", -1)) {
            if (value.isBlank()) {
                throw StageException.usage("--sweep " + option + ": empty value");
            }
            values.add(value.trim());
        }
        return new Sweep(name, List.copyOf(values));
    }

    /** The upstream stages the setting changes, the one it sizes first (recommend runs again anyway). */
    public List<String> upstreamStages() {
        if (name.startsWith("BEHAVIOR_")) {
            return List.of(Stages.BEHAVIOR);
        }
        if (name.startsWith("CONTENT_") || name.startsWith("TFIDF_") || name.equals("USE_FAISS_RECALL")) {
            return List.of(Stages.CONTENT);
        }
        if (name.startsWith("RELATED_") || name.startsWith("USER_") || name.startsWith("RECOMMEND_")) {
            return List.of();
        }
        // SIMILARITY_TOP_K also sizes behaviour when BEHAVIOR_SIMILARITY_TOP_K is unset; unknown names
        // may reach either: run both again rather than report a setting that was not applied.
        return List.of(Stages.CONTENT, Stages.BEHAVIOR);
    }

    /** The stage whose memory the setting is about: the chart's x axis. */
    public String sizedStage() {
        List<String> upstream = upstreamStages();
        return upstream.isEmpty() ? Stages.RECOMMEND : upstream.get(0);
    }
}
