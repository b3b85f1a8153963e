package org.mpcensus.udf.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.mpcensus.probe.packet.IpAddress;

class AddressSetTest {

    /** Random addresses, a third of them drawn twice, half IPv6 in a few /48s. */
    static Set<String> addresses(Random random, int n, AddressSet into) {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String a;
            if (random.nextBoolean()) {
                byte[] b = new byte[4];
                random.nextBytes(b);
                if (random.nextInt(4) == 0) {
                    b[0] = 10; // a dense prefix
                    b[1] = 0;
                }
                a = IpAddress.format(b);
            } else {
                byte[] b = new byte[16];
                random.nextBytes(b);
                b[0] = 0x20;
                b[1] = 0x01;
                b[2] = 0x0d;
                b[3] = (byte) 0xb8;
                b[4] = (byte) random.nextInt(3);
                a = IpAddress.format(b);
            }
            assertThat(into.add(a)).isEqualTo(expected.add(a));
            if (random.nextInt(3) == 0) {
                assertThat(into.add(a)).isFalse();
            }
        }
        return expected;
    }

    @Test
    void holdsExactlyTheDistinctAddressesAdded() {
        Random random = new Random(1);
        AddressSet set = new AddressSet();
        Set<String> expected = addresses(random, 200_000, set);
        assertThat(set.size()).isEqualTo(expected.size());
        for (String a : expected) {
            assertThat(set.contains(a)).as(a).isTrue();
        }
        assertThat(set.contains("192.0.2.1") == expected.contains("192.0.2.1")).isTrue();
        assertThat(set.contains("2001:db8:ffff::1")).isFalse();
    }

    @Test
    void setOperationsAgreeWithJavaSets() {
        Random random = new Random(2);
        AddressSet a = new AddressSet();
        AddressSet b = new AddressSet();
        Set<String> ea = addresses(random, 20_000, a);
        Set<String> eb = new HashSet<>(addresses(random, 5_000, b));
        // make them overlap
        int shared = 0;
        for (String x : ea) {
            if (shared++ % 3 == 0) {
                b.add(x);
                eb.add(x);
            }
        }
        Set<String> aWithoutB = new HashSet<>(ea);
        aWithoutB.removeAll(eb);
        Set<String> both = new HashSet<>(ea);
        both.retainAll(eb);
        assertThat(a.without(b).size()).isEqualTo(aWithoutB.size());
        assertThat(a.sizeWithin(b)).isEqualTo(both.size()).isPositive();
        Set<String> union = new HashSet<>(ea);
        union.addAll(eb);
        AddressSet u = a.copy();
        u.addAll(b);
        assertThat(u.size()).isEqualTo(union.size());
        assertThat(a.size()).isEqualTo(ea.size()); // the copy left a alone
        // the same union made of small sets, as hosts come one at a time
        AddressSet one = a.copy();
        AddressSet few = new AddressSet();
        for (String x : eb) {
            few.add(x);
            if (few.size() == 3) {
                one.addAll(few);
                few = new AddressSet();
            }
        }
        one.addAll(few);
        assertThat(one).isEqualTo(u);
        assertThat(one.size()).isEqualTo(union.size());
    }

    @Test
    void everyAddressFormCountsOnceIncludingTheEdges() {
        AddressSet set = new AddressSet();
        for (String a :
                new String[] {
                    "0.0.0.0", "255.255.255.255", "::", "::1", "::ffff:192.0.2.1", "1.2.3.4"
                }) {
            assertThat(set.add(a)).as(a).isTrue();
            assertThat(set.add(a)).as(a).isFalse();
            assertThat(set.contains(a)).as(a).isTrue();
        }
        // a non-canonical dotted quad is the same address as its canonical form
        assertThat(set.add("001.002.003.004")).isFalse();
        assertThat(set.size()).isEqualTo(6);
        assertThatThrownBy(() -> set.add("not-an-address"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSerializerRoundTripsAndCopiesDeeply() throws Exception {
        Random random = new Random(3);
        AddressSet set = new AddressSet();
        addresses(random, 50_000, set);
        set.add("::");
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        AddressSetSerializer.INSTANCE.serialize(set, out);
        AddressSet back =
                AddressSetSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(set);
        assertThat(back.size()).isEqualTo(set.size());
        DataOutputSerializer copied = new DataOutputSerializer(1 << 16);
        AddressSetSerializer.INSTANCE.copy(
                new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(
                        AddressSetSerializer.INSTANCE.deserialize(
                                new DataInputDeserializer(copied.getCopyOfBuffer())))
                .isEqualTo(set);
        AddressSet copy = AddressSetSerializer.INSTANCE.copy(set);
        copy.add("203.0.113.77");
        copy.add("2001:db8:77::77");
        assertThat(copy.size()).isEqualTo(set.size() + 2 - (set.contains("203.0.113.77") ? 1 : 0));
        assertThat(set.contains("2001:db8:77::77")).isFalse();
        // the snapshot restores the same serializer
        assertThat(AddressSetSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(AddressSetSerializer.INSTANCE);
    }

    @Test
    void theStoredFormRoundTripsAndIsTheSerializersForm() throws Exception {
        Random random = new Random(5);
        AddressSet mixed = new AddressSet();
        addresses(random, 30_000, mixed);
        mixed.add("::");
        AddressSet onlyV4 = new AddressSet();
        onlyV4.add("198.18.0.1");
        onlyV4.add("0.0.0.0");
        AddressSet onlyV6 = new AddressSet();
        onlyV6.add("2001:db8::1");
        for (AddressSet set : new AddressSet[] {mixed, onlyV4, onlyV6, new AddressSet()}) {
            byte[] stored = set.toBytes();
            java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
            set.write(new java.io.DataOutputStream(written));
            // rows stored by earlier runs read back the same way
            assertThat(stored).isEqualTo(written.toByteArray());
            AddressSet back = AddressSet.fromBytes(stored);
            assertThat(back).isEqualTo(set);
            assertThat(back.size()).isEqualTo(set.size());
        }
    }

    @Test
    void ipv6AddressesAreStoredInOrderAsDeltasAndReadBackExactly() {
        Random random = new Random(9);
        AddressSet network = new AddressSet();
        AddressSet edges = new AddressSet();
        for (int i = 0; i < 10_000; i++) {
            network.addV6(0x20010db800010000L, 1 + random.nextInt(1 << 20));
        }
        long[] values = {0, 1, 0x7fffffffffffffffL, 0x8000000000000000L, -1L, 0xffL, 0x80L};
        for (long u : values) {
            for (long l : values) {
                edges.addV6(u, l);
            }
        }
        for (int i = 0; i < 5_000; i++) {
            edges.addV6(random.nextLong(), random.nextLong());
        }
        for (AddressSet set : new AddressSet[] {network, edges}) {
            AddressSet back = AddressSet.fromBytes(set.toBytes());
            assertThat(back).isEqualTo(set);
            assertThat(back.size()).isEqualTo(set.size());
        }
        // Addresses of one network take a few bytes each, not 16.
        assertThat(network.toBytes().length).isLessThan(4 * 10_000);
        // Random addresses all over the space take no more than before.
        assertThat(edges.toBytes().length).isLessThan(16 * (int) edges.size());
    }

    @Test
    void setsStoredBeforeIpv6DeltasReadBackTheSame() throws Exception {
        AddressSet v4 = new AddressSet();
        v4.add("198.18.0.1");
        v4.add("198.18.7.9");
        java.io.ByteArrayOutputStream old = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(old);
        // the form before: the bitmap, whether :: is in, the count, then 16 bytes per address
        byte[] bitmap = v4.toBytes();
        out.write(bitmap, 0, bitmap.length - 2);
        out.writeByte(1);
        out.writeInt(2);
        out.writeLong(0x20010db800000000L);
        out.writeLong(1);
        out.writeLong(0xfe80000000000000L);
        out.writeLong(0x42);
        AddressSet back = AddressSet.fromBytes(old.toByteArray());
        assertThat(back.size()).isEqualTo(5);
        for (String a :
                new String[] {"198.18.0.1", "198.18.7.9", "::", "2001:db8::1", "fe80::42"}) {
            assertThat(back.contains(a)).as(a).isTrue();
        }
    }

    @Test
    void aCorruptStoredSetIsAnErrorNotAnotherSet() {
        AddressSet set = new AddressSet();
        set.addV6(1, 2);
        set.addV6(1, 3);
        byte[] stored = set.toBytes();
        byte[] unknownFlag = stored.clone();
        int flagAt = stored.length - 1 - 5;
        assertThat(stored[flagAt]).isEqualTo((byte) 2);
        unknownFlag[flagAt] = 10;
        assertThatThrownBy(() -> AddressSet.fromBytes(unknownFlag))
                .hasRootCauseMessage("unknown address set flags 10");
        byte[] repeated = stored.clone();
        repeated[stored.length - 1] = 0;
        assertThatThrownBy(() -> AddressSet.fromBytes(repeated))
                .hasRootCauseMessage("an IPv6 address repeated in a stored set");
        byte[] cut = java.util.Arrays.copyOf(stored, stored.length - 1);
        assertThatThrownBy(() -> AddressSet.fromBytes(cut))
                .isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void aMillionRandomIpv4AddressesTakeAboutTwoBytesEach() {
        Random random = new Random(4);
        AddressSet set = new AddressSet();
        for (int i = 0; i < 1_000_000; i++) {
            set.addV4(random.nextInt());
        }
        assertThat(set.size()).isBetween(999_000L, 1_000_000L);
        assertThat(set.heapBytes()).isLessThan(3_000_000L);
    }
}
