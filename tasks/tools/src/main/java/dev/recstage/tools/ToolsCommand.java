package dev.recstage.tools;

import dev.recstage.tools.arrow.ExportCommand;
import dev.recstage.tools.evaluate.EvaluateCommand;
import dev.recstage.tools.arrow.InspectCommand;
import dev.recstage.tools.generate.GenerateCommand;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** Developer tools: synthetic inputs and a look inside Arrow files. */
@TopCommand
@Command(name = "recstage", mixinStandardHelpOptions = true,
        subcommands = {GenerateCommand.class, InspectCommand.class, ExportCommand.class, EvaluateCommand.class})
public class ToolsCommand {
}
