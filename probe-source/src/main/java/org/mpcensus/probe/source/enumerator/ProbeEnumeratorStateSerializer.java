package org.mpcensus.probe.source.enumerator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.mpcensus.probe.source.split.ProbeSplit;
import org.mpcensus.probe.source.split.ProbeSplitSerializer;

/** Versioned serializer of {@link ProbeEnumeratorState}; every version stays readable. */
public final class ProbeEnumeratorStateSerializer
        implements SimpleVersionedSerializer<ProbeEnumeratorState> {
    private static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ProbeEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(ProbeSplitSerializer.currentVersion());
        out.writeInt(state.unassigned().size());
        for (ProbeSplit s : state.unassigned()) {
            ProbeSplitSerializer.writeCurrent(s, out);
        }
        out.writeInt(state.nextScan());
        out.writeLong(state.nextScanAtMillis());
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public ProbeEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("unknown enumerator state version " + version);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        int splitVersion = in.readInt();
        int n = in.readInt();
        List<ProbeSplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            splits.add(ProbeSplitSerializer.read(splitVersion, in));
        }
        // Version 1 knew single scans only.
        if (version == 1) {
            return new ProbeEnumeratorState(splits, 1, -1);
        }
        return new ProbeEnumeratorState(splits, in.readInt(), in.readLong());
    }
}
