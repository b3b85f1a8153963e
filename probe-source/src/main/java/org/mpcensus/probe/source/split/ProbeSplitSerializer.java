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
    private static final int VERSION = 2;

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
        out.writeLong(s.seed());
    }

    @Override
    public ProbeSplit deserialize(int version, byte[] serialized) throws IOException {
        return read(version, new DataInputStream(new ByteArrayInputStream(serialized)));
    }

    /** Reads a split written by {@code version}. */
    public static ProbeSplit read(int version, DataInputStream in) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("unknown ProbeSplit serializer version " + version);
        }
        String scanId = in.readUTF();
        int shard = in.readInt();
        int shards = in.readInt();
        long steps = in.readLong();
        long secret0 = in.readLong();
        long secret1 = in.readLong();
        // Version 1 had no per-scan seed: such splits use the plan's.
        long seed = version >= 2 ? in.readLong() : ProbeSplit.PLAN_SEED;
        return new ProbeSplit(scanId, shard, shards, steps, secret0, secret1, seed);
    }

    /** The version {@link #writeCurrent} writes. */
    public static int currentVersion() {
        return VERSION;
    }

    /** Writes a split with the current version (for enclosing serializers). */
    public static void writeCurrent(ProbeSplit s, DataOutputStream out) throws IOException {
        write(s, out);
    }
}
