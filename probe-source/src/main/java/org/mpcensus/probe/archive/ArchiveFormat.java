package org.mpcensus.probe.archive;

import java.io.InputStream;
import java.util.Locale;

/** The archive formats mpcensus replays, and how each is recognised and decoded. */
public enum ArchiveFormat {
    /** CSV output of the ZMap fork used in published MPTCP adoption studies. */
    CSV,
    /** pcap or pcapng captures. */
    PCAP,
    /** mpcensus's own archive: JSON Lines of replies. */
    JSONL,
    /**
     * pcap or pcapng traces read for their traffic: every TCP segment ({@code mpcensus traffic}).
     */
    TRAFFIC;

    /** Parses a format name as given on the command line. */
    public static ArchiveFormat of(String name) {
        try {
            ArchiveFormat f = valueOf(name.toUpperCase(Locale.ROOT));
            if (f == TRAFFIC) {
                throw new IllegalArgumentException(name);
            }
            return f;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown format '" + name + "' (csv, pcap or jsonl)");
        }
    }

    /**
     * Guesses the format from a file name ({@code .csv}, {@code .pcap}/{@code .pcapng}/{@code
     * .cap}, {@code .jsonl}/{@code .json}, each optionally followed by {@code .gz}).
     *
     * @throws IllegalArgumentException when the name does not tell
     */
    public static ArchiveFormat detect(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap")) {
            return PCAP;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".json")) {
            return JSONL;
        }
        throw new IllegalArgumentException(
                "cannot tell the format of '" + fileName + "' from its name: give --format");
    }

    /** A decoder of this format over a stream. */
    public ArchiveDecoder decoder(InputStream in, String source, ArchiveSettings settings) {
        return switch (this) {
            case CSV -> new ZmapCsvDecoder(in, source, settings);
            case PCAP -> CaptureDecoder.open(in, source, settings);
            case JSONL -> new ReplyArchiveDecoder(in, source, settings.maxLineBytes());
            case TRAFFIC -> TrafficDecoder.open(in, source);
        };
    }
}
