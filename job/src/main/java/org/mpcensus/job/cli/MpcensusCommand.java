package org.mpcensus.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mpcensus} command line: one subcommand per task. */
@Command(
        name = "mpcensus",
        mixinStandardHelpOptions = true,
        version = "mpcensus 0.1.0",
        description = "Measures which hosts really speak Multipath TCP, as an Apache Flink job.",
        subcommands = {
            DecodeCommand.class,
            ReplayCommand.class,
            SynthCommand.class,
            ProbeCommand.class,
            AnalyzeCommand.class,
            ClusterJobCommand.class,
            SqlCommand.class,
            TestbedCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MpcensusCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with a user's mistakes ({@link UserError}) as one line and exit 2. */
    public static CommandLine commandLine() {
        return new CommandLine(new MpcensusCommand())
                .setExecutionExceptionHandler(
                        (e, cmd, parsed) -> {
                            if (!(e instanceof UserError)) {
                                throw e;
                            }
                            cmd.getErr()
                                    .println(
                                            cmd.getCommandSpec().qualifiedName()
                                                    + ": "
                                                    + e.getMessage());
                            cmd.getErr().flush();
                            return 2;
                        });
    }
}
