package org.mpcensus.job.testbed;

import java.util.ArrayList;
import java.util.List;
import org.mpcensus.probe.packet.IpAddress;
import org.mpcensus.probe.path.TargetAnswer;
import org.mpcensus.udf.classify.Classification;

/** What a range of testbed addresses does, and what the census must make of it. */
public enum Behaviour {
    KERNEL_MPTCP_V1(
            "198.18.1.0/25", "2001:db8:0:1::", Classification.CANDIDATE, Classification.NOT_MPTCP),
    PLAIN_TCP(
            "198.18.2.0/25", "2001:db8:0:2::", Classification.NOT_MPTCP, Classification.NOT_MPTCP),
    CLOSED("198.18.3.0/25", null, Classification.NOT_MPTCP, Classification.NOT_MPTCP),
    SILENT("198.18.4.0/25", null, null, null),
    EMULATED_V0("198.18.5.0/25", null, Classification.WRONG_VERSION, Classification.CANDIDATE),
    EMULATED_MIRROR("198.18.6.0/25", null, Classification.MIRRORED, Classification.MIRRORED),
    EMULATED_KEY_REWRITER(
            "198.18.7.0/25", null, Classification.SUSPECT_KEY, Classification.SUSPECT_KEY),
    STRIPPED_PATH(
            "198.18.8.0/25", "2001:db8:0:8::", Classification.NOT_MPTCP, Classification.NOT_MPTCP),
    BLOCKLISTED("198.18.9.0/25", null, null, null),
    CLEAN_PATH(
            "198.18.10.0/25",
            "2001:db8:0:10::",
            Classification.CANDIDATE,
            Classification.NOT_MPTCP),
    QUOTE8_PATH("198.18.11.0/25", null, Classification.NOT_MPTCP, Classification.NOT_MPTCP),
    PROHIBITED_PATH("198.18.12.0/25", "2001:db8:0:12::", null, null),
    REWRITE_PATH("198.18.13.0/25", null, Classification.WRONG_VERSION, Classification.CANDIDATE),
    MIRROR_PATH("198.18.14.0/25", null, Classification.NOT_MPTCP, Classification.NOT_MPTCP);

    /** The IPv4 range. */
    public final String cidr;

    /** The IPv6 /64 of the behaviour's IPv6 hosts ({@code <prefix>1} ...), or null. */
    public final String v6Prefix;

    /** Expected classification of MPTCPv1 probes, null when no reply is expected. */
    public final Classification expectedV1;

    /** Expected classification of MPTCPv0 probes, null when no reply is expected. */
    public final Classification expectedV0;

    Behaviour(String cidr, String v6Prefix, Classification expectedV1, Classification expectedV0) {
        this.cidr = cidr;
        this.v6Prefix = v6Prefix;
        this.expectedV1 = expectedV1;
        this.expectedV0 = expectedV0;
    }

    /** The expected classification for a probed version, or null for "no reply". */
    public Classification expected(int version) {
        return version == 1 ? expectedV1 : expectedV0;
    }

    /**
     * What path verification must find for a host of this behaviour probed with a version (hop 1 is
     * the first router), or null for the blocklisted range. The hop's address is the testbed's
     * ({@link Testbed#hopAddress}).
     */
    public PathTruth path(int version) {
        return switch (this) {
            case KERNEL_MPTCP_V1, CLEAN_PATH ->
                    version == 1 ? PathTruth.capable() : PathTruth.notMptcp();
            case PLAIN_TCP, CLOSED, MIRROR_PATH -> PathTruth.notMptcp();
            case SILENT -> PathTruth.unreachable(TargetAnswer.NONE);
            case PROHIBITED_PATH -> PathTruth.unreachable(TargetAnswer.PROHIBITED);
            case EMULATED_V0, EMULATED_KEY_REWRITER -> PathTruth.capable();
            case EMULATED_MIRROR -> PathTruth.affected(2, "MP_CAPABLE mirrored");
            case STRIPPED_PATH -> PathTruth.affected(2, "MP_CAPABLE removed");
            case QUOTE8_PATH -> PathTruth.affected(2, "unknown");
            case REWRITE_PATH ->
                    version == 0
                            ? PathTruth.affected(3, "MP_CAPABLE key changed")
                            : PathTruth.capable();
            case BLOCKLISTED -> null;
        };
    }

    /**
     * What an HTTP(S) GET over a kernel MPTCP socket to a host of this behaviour must find: true
     * when the connection is Multipath TCP end to end, false when it answers over TCP after falling
     * back (the server speaks only TCP, or the path strips or mirrors the option), null when no
     * HTTP server answers.
     */
    public Boolean httpMptcp() {
        return switch (this) {
            case KERNEL_MPTCP_V1, CLEAN_PATH -> true;
            case PLAIN_TCP, STRIPPED_PATH, QUOTE8_PATH, MIRROR_PATH -> false;
            default -> null;
        };
    }

    /** The behaviour of a testbed address, or null. */
    public static Behaviour of(String address) {
        if (address.contains(":")) {
            String normal = IpAddress.format(IpAddress.parse(address));
            for (Behaviour b : values()) {
                if (b.v6Prefix != null && normal.startsWith(b.v6Prefix)) {
                    return b;
                }
            }
            return null;
        }
        String[] q = address.split("\\.");
        if (q.length != 4 || !q[0].equals("198") || !q[1].equals("18")) {
            return null;
        }
        int third = Integer.parseInt(q[2]);
        int fourth = Integer.parseInt(q[3]);
        if (fourth >= 128) {
            return null;
        }
        for (Behaviour b : values()) {
            if (b.cidr.startsWith("198.18." + third + ".")) {
                return b;
            }
        }
        return null;
    }

    /** Addresses per behaviour. */
    public static final int RANGE_SIZE = 128;

    /**
     * IPv6 hosts per behaviour that has IPv6: {@code <prefix>1} to {@code <prefix>N}, for hitlists.
     */
    public static final int V6_HOSTS = 16;

    /** The IPv6 hitlist of the testbed: the IPv6 hosts of every behaviour that has them. */
    public static List<String> ipv6Hitlist() {
        List<String> out = new ArrayList<>();
        for (Behaviour b : values()) {
            if (b.v6Prefix == null) {
                continue;
            }
            for (int i = 1; i <= V6_HOSTS; i++) {
                out.add(b.v6Prefix + Integer.toHexString(i));
            }
        }
        return out;
    }
}
