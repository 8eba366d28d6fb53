package dev.recstage.tools.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's stage directories are: bin/demo names them {@code features}, {@code content},
 * {@code behavior}, {@code recommend}; the DAGs name them after the stages
 * ({@code content-similarity}, {@code behavior-cooccurrence}). Both are accepted.
 */
public record RunLayout(Path root) {
    public Path features() {
        return root.resolve("features");
    }

    public Optional<Path> content() {
        return first("content", "content-similarity");
    }

    public Optional<Path> behavior() {
        return first("behavior", "behavior-cooccurrence");
    }

    public Optional<Path> recommend() {
        return first("recommend");
    }

    /** {@code name} in the stage directory, when both exist. */
    public static Optional<Path> file(Optional<Path> stage, String name) {
        return stage.map(dir -> dir.resolve(name)).filter(Files::isRegularFile);
    }

    private Optional<Path> first(String... names) {
        for (String name : names) {
            Path dir = root.resolve(name);
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
