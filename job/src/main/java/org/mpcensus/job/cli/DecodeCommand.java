package org.mpcensus.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.mpcensus.probe.archive.CaptureReader;
import org.mpcensus.probe.archive.CapturedFrame;
import org.mpcensus.probe.archive.CorruptCaptureException;
import org.mpcensus.probe.event.CaptureTime;
import org.mpcensus.probe.packet.MpCapable;
import org.mpcensus.probe.packet.PacketDecoder;
import org.mpcensus.probe.packet.TcpOption;
import org.mpcensus.probe.packet.TcpSegment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mpcensus decode}: one JSON object per TCP segment of pcap/pcapng captures (JSON Lines).
 * The output is a contract: {@code file, frame, ts, src, dst, sport, dport, flags, options}, and
 * when present {@code mp_capable} and {@code error}.
 */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = {
            "Decode the TCP segments of pcap/pcapng captures as JSON Lines.",
            "Malformed segments carry an 'error' field; the command still exits 0.",
            "Output: file, frame, ts (ISO-8601 UTC, microseconds), src, dst, sport, dport, flags"
                    + " (tcpdump letters), options (names in order), mp_capable {length, version,"
                    + " flags, sender_key, receiver_key, data_len}, error."
        })
public final class DecodeCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE",
            description = "pcap or pcapng files (.gz allowed)")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;

        List<Path> missing = files.stream().filter(f -> !Files.exists(f)).toList();
        if (!missing.isEmpty()) {
            throw new UserError(
                    "no such file: "
                            + missing.get(0)
                            + (missing.size() > 1
                                    ? " (and " + (missing.size() - 1) + " more)"
                                    : ""));
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                out.println(fileError(file, "not a capture file (a directory or special file)"));
                continue;
            }
            try {
                decode(file, out);
            } catch (IOException e) {
                out.println(
                        fileError(
                                file,
                                "file could not be read: "
                                        + org.mpcensus.probe.event.DeadLetter.reasonOf(e)));
            }
        }
        out.flush();
        return 0;
    }

    static void decode(Path file, PrintStream out) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            CaptureReader reader;
            try {
                reader = new CaptureReader(in);
            } catch (CorruptCaptureException e) {
                out.println(fileError(file, e.getMessage()).toString());
                return;
            }
            while (true) {
                CapturedFrame f;
                try {
                    f = reader.next();
                } catch (CorruptCaptureException e) {
                    out.println(fileError(file, e.getMessage()).toString());
                    return;
                }
                if (f == null) {
                    return;
                }
                PacketDecoder.Result r = PacketDecoder.decodeFrame(f.linkType(), f.data());
                if (r.notTcp()) {
                    continue;
                }
                out.println(toJson(file, f, r).toString());
            }
        }
    }

    private static ObjectNode fileError(Path file, String error) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("file", file.toString());
        n.put("error", error);
        return n;
    }

    static ObjectNode toJson(Path file, CapturedFrame f, PacketDecoder.Result r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("file", file.toString());
        n.put("frame", f.number());
        n.put("ts", CaptureTime.format(f.timestampNanos() / 1000));
        TcpSegment s = r.segment();
        if (s != null) {
            n.put("src", s.src());
            n.put("dst", s.dst());
            n.put("sport", s.sport());
            n.put("dport", s.dport());
            n.put("flags", s.flagLetters());
            ArrayNode options = n.putArray("options");
            for (TcpOption o : s.options()) {
                options.add(o.name());
            }
            MpCapable mp = s.mpCapable();
            if (mp != null) {
                ObjectNode m = n.putObject("mp_capable");
                m.put("length", mp.length());
                m.put("version", mp.version());
                m.put("flags", mp.flags());
                m.put("sender_key", mp.senderKeyHex());
                m.put("receiver_key", mp.receiverKeyHex());
                if (mp.dataLen() == null) {
                    m.putNull("data_len");
                } else {
                    m.put("data_len", mp.dataLen());
                }
            }
        }
        String error = r.errorText();
        if (error != null) {
            n.put("error", error);
        }
        return n;
    }
}
