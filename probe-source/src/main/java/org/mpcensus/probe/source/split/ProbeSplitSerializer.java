package org.mpcensus.probe.source.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Versioned serializer of {@link ProbeSplit}s; every version ever written stays readable. */
public final class ProbeSplitSerializer implements SimpleVersionedSerializer<ProbeSplit> {
    public static final ProbeSplitSerializer INSTANCE = new ProbeSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ProbeSplit s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        write(s, out);
        out.flush();
        return bytes.toByteArray();
    }

    static void write(ProbeSplit s, DataOutputStream out) throws IOException {
        out.writeUTF(s.scanId());
        out.writeInt(s.shard());
        out.writeInt(s.shards());
        out.writeLong(s.steps());
        out.writeLong(s.secret0());
        out.writeLong(s.secret1());
    }

    @Override
    public ProbeSplit deserialize(int version, byte[] serialized) throws IOException {
        return read(version, new DataInputStream(new ByteArrayInputStream(serialized)));
    }

    /** Reads a split written by {@code version}. */
    public static ProbeSplit read(int version, DataInputStream in) throws IOException {
        if (version != 1) {
            throw new IOException("unknown ProbeSplit serializer version " + version);
        }
        return new ProbeSplit(
                in.readUTF(),
                in.readInt(),
                in.readInt(),
                in.readLong(),
                in.readLong(),
                in.readLong());
    }

    /** Writes a split with the current version (for enclosing serializers). */
    public static void writeCurrent(ProbeSplit s, DataOutputStream out) throws IOException {
        write(s, out);
    }
}
