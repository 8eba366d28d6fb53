package dev.recstage.tools;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** Developer tools: synthetic inputs and a look inside Arrow files. */
@TopCommand
@Command(name = "recstage", mixinStandardHelpOptions = true, subcommands = {})
public class ToolsCommand {
}
