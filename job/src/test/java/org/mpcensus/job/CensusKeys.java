package org.mpcensus.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.mpcensus.udf.aggregate.CountKey;
import org.mpcensus.udf.classify.Classification;
import org.mpcensus.udf.host.HostKey;
import org.mpcensus.udf.overlap.OverlapCategory;
import org.mpcensus.udf.overlap.OverlapKey;
import org.mpcensus.udf.overlap.OverlapMeasure;
import org.mpcensus.udf.scope.Scope;
import org.mpcensus.udf.window.HostIdentity;

/**
 * Representative keys of every key type the census partitions by, and their key groups. Its {@code
 * main} prints the key groups as this JVM computes them, so a test can compare them with another
 * JVM's.
 */
final class CensusKeys {
    static final int MAX_PARALLELISM = 128;

    private CensusKeys() {}

    /** Sample keys per key type: every enum constant, several months, addresses, ports and ASes. */
    static Map<Class<?>, List<Object>> samples() {
        String[] months = {"2020-01", "2025-12", "2026-10"};
        String[] hosts = {"198.18.0.1", "198.19.255.254", "2001:db8::1", "2001:db8:ffff::42"};
        int[] ports = {80, 443};
        long[] asns = {0, 64496, 4200000000L};
        Map<Class<?>, List<Object>> samples = new LinkedHashMap<>();
        List<Object> counts = new ArrayList<>();
        List<Object> overlaps = new ArrayList<>();
        List<Object> scopes = new ArrayList<>();
        List<Object> hostKeys = new ArrayList<>();
        List<Object> identities = new ArrayList<>();
        List<Object> duplicateKeys = new ArrayList<>();
        for (String month : months) {
            for (int port : ports) {
                for (long asn : asns) {
                    for (Classification c : Classification.values()) {
                        counts.add(new CountKey(new Scope(month, 4, port, 1, asn), c));
                    }
                    for (OverlapMeasure m : OverlapMeasure.values()) {
                        for (OverlapCategory c : OverlapCategory.values()) {
                            overlaps.add(new OverlapKey(new Scope(month, 6, port, 0, asn), m, c));
                        }
                    }
                    scopes.add(new Scope(month, 4, port, 0, asn));
                    scopes.add(new Scope(month, 4, port, 1, asn));
                    scopes.add(new Scope(month, 6, port, 0, asn));
                }
                for (String host : hosts) {
                    hostKeys.add(new HostKey(month, host, port, 1));
                    identities.add(new HostIdentity(host, port, 0));
                }
            }
            duplicateKeys.add(month + "|0123456789abcdef");
        }
        samples.put(CountKey.class, counts);
        samples.put(OverlapKey.class, overlaps);
        samples.put(Scope.class, scopes);
        samples.put(HostKey.class, hostKeys);
        samples.put(HostIdentity.class, identities);
        samples.put(String.class, duplicateKeys);
        return samples;
    }

    /** One line per key type: its name, then the key groups of its samples. */
    static List<String> keyGroups() {
        List<String> lines = new ArrayList<>();
        samples()
                .forEach(
                        (type, keys) -> {
                            StringBuilder b = new StringBuilder(type.getName()).append(':');
                            for (Object k : keys) {
                                b.append(' ')
                                        .append(
                                                KeyGroupRangeAssignment.assignToKeyGroup(
                                                        k, MAX_PARALLELISM));
                            }
                            lines.add(b.toString());
                        });
        return lines;
    }

    public static void main(String[] args) {
        keyGroups().forEach(System.out::println);
    }
}
