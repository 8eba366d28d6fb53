package dev.recstage.behavior;

import picocli.CommandLine.Command;

@Command(name = "behavior-cooccurrence")
public class BehaviorCooccurrenceCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("behavior-cooccurrence is not built yet");
    }
}
