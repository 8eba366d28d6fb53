package dev.recstage.tools.browse;

import dev.recstage.core.cli.StageException;
import dev.recstage.tools.Console;
import dev.recstage.tools.run.RunLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code browse}: a local web page over one run's outputs, until interrupted. */
@Command(name = "browse", mixinStandardHelpOptions = true,
        description = {"Serve a web page over a run's outputs: search items by title or id, see an item's content, behaviour and "
                + "related lists side by side, a user's history and recommendations.",
                "RUN_DIR holds features/ and any of content/ (or content-similarity/), behavior/ (or behavior-cooccurrence/), recommend/."})
public class BrowseCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run's directory (e.g. runs/demo).")
    Path runDir;

    @Option(names = "--port", defaultValue = "8765", description = "TCP port (0: any free port; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Another address serves the run's data "
                    + "to anyone who can reach it.")
    String bind;

    @Override
    public void run() {
        if (port < 0 || port > 65535) {
            throw StageException.usage("--port must be between 0 and 65535, got " + port);
        }
        if (!Files.isDirectory(runDir.resolve("features"))) {
            throw StageException.input(runDir + " has no features/ directory: give the directory that holds a run's stage outputs "
                    + "(e.g. runs/demo after bin/demo)");
        }
        InetAddress address = address(bind);
        PrintWriter out = Console.out();
        long start = System.nanoTime();
        try (BufferAllocator allocator = new RootAllocator(); RunView run = new RunView(new RunLayout(runDir), allocator);
                BrowseServer server = BrowseServer.start(new InetSocketAddress(address, port), new Pages(run))) {
            if (!address.isLoopbackAddress()) {
                System.err.println("warning: --bind " + bind + " serves this run's data (titles, user histories) to anyone who can "
                        + "reach this machine on port " + server.address().getPort() + "; there is no authentication");
            }
            out.printf("browse: %d items of %s read in %.1f s%n", run.catalogue().size(), runDir, (System.nanoTime() - start) / 1e9);
            out.printf("browse: open http://%s:%d/ (Ctrl-C to stop)%n", host(address), server.address().getPort());
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        } catch (IOException e) {
            throw StageException.usage("cannot listen on " + bind + ":" + port + ": " + e.getMessage()
                    + " (choose another --port, or 0 for any free one)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetAddress address(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw StageException.usage("--bind " + bind + " is not an address of this machine");
        }
    }

    /** The URL's host: the address as given when it is a wildcard (0.0.0.0), IPv6 literals in brackets. */
    private String host(InetAddress address) {
        String host = address.isAnyLocalAddress() ? bind : address.getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
