package dev.recstage.content;

import picocli.CommandLine.Command;

@Command(name = "content-similarity")
public class ContentSimilarityCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("content-similarity is not built yet");
    }
}
