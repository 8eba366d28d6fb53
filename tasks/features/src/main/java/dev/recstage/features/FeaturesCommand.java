package dev.recstage.features;

import picocli.CommandLine.Command;

@Command(name = "features")
public class FeaturesCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("features");
    }
}
