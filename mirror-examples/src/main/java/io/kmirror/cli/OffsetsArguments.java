package io.kmirror.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options of {@code kmirror.jar offsets}, each defined once: its name and the text
 * {@code offsets --help} shows. The files are the mirror's own: {@code --consumer.config} names the
 * source cluster, {@code --producer.config} the destination. Run by {@link OffsetsCommand}.
 */
@Command(
        name = "offsets",
        customSynopsis = {"java -jar kmirror.jar offsets --consumer.config FILE --producer.config FILE --group GROUP",
            "           [--mirror-group GROUP] [--apply]"},
        header = "Shows where a consumer group continues on the destination, and with --apply moves it there.",
        description = {
            "Reads GROUP's committed offsets on the source and translates each through the offset map the mirror",
            "keeps on the destination (topic __kmirror-offsets): the position from which the group reads exactly",
            "the rest there, nothing missing, nothing twice. Prints one line per partition: the source position,",
            "the destination partition and position, the lag there (records left to read from that position) and",
            "the group's current offset on the destination."},
        sortOptions = false,
        usageHelpWidth = 100,
        footerHeading = "%n",
        footer = {
            "The files are the mirror's: --consumer.config the source cluster's properties, --producer.config the",
            "destination's (the same security keys serve this command). --apply never moves a group backwards and",
            "is refused while GROUP has active members on the destination: stop its consumers first.",
            "",
            "Exit codes: 0 printed (with --apply: every partition is at its translated position or further),",
            "1 a cluster could not be read or written, the group has no committed offsets on the source, or",
            "--apply was refused or left partitions that are not yet mirrored as they were, 2 bad arguments."})
final class OffsetsArguments {

    @Option(names = "--consumer.config", paramLabel = "FILE", order = 1,
            description = "Consumer properties of the SOURCE cluster, the mirror's file: bootstrap.servers (required),"
                    + " security, ...; its group.id is the mirror's group.")
    Path consumerConfig;

    @Option(names = "--producer.config", paramLabel = "FILE", order = 2,
            description = "Producer properties of the DESTINATION cluster, the mirror's file: bootstrap.servers"
                    + " (required), security, ... The offset map is read there, and --apply commits there.")
    Path producerConfig;

    @Option(names = "--group", paramLabel = "GROUP", order = 3,
            description = "The consumer group to move: an application's group, whose offsets on the source are translated.")
    String group;

    @Option(names = "--mirror-group", paramLabel = "GROUP", order = 4,
            description = "The mirror's own consumer group, whose offset map is read (default: group.id in"
                    + " --consumer.config, else kmirror).")
    String mirrorGroup;

    @Option(names = "--apply", order = 5,
            description = "Commit the translated positions for GROUP on the destination: only those that move it"
                    + " forward, capped at the end offset. Refused while GROUP has active members there.")
    boolean apply;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 6, description = "Print this help and exit.")
    boolean help;
}
