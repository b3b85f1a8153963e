package org.mpcensus.probe.archive;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The archive fuzzer ({@link ArchiveFuzz}) as properties: each try draws one mutated input from the
 * seed corpus and checks the invariant. The number of tries is jqwik's default ({@code
 * jqwik.tries.default} in {@code junit-platform.properties}); {@code job/bench/bench fuzz MINUTES}
 * runs the same inputs for longer.
 */
class ArchiveFuzzTest {

    private static final ArchiveFuzz FUZZ = new ArchiveFuzz();

    private static void run(ArchiveFuzz.Target target, long seed) {
        Random random = new Random(seed);
        FUZZ.check(target, FUZZ.input(target, random), random);
    }

    @Property
    void csvRowsYieldRepliesOrDeadLetters(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.CSV, seed);
    }

    @Property
    void jsonLinesYieldRepliesOrDeadLetters(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.JSONL, seed);
    }

    @Property
    void capturesYieldRepliesOrDeadLetters(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.PCAP, seed);
    }

    @Property
    void gzipFilesYieldRepliesOrDeadLetters(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.GZIP, seed);
    }

    @Property
    void optionListsDecodeWithoutException(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.OPTIONS, seed);
    }

    @Property
    void framesDecodeWithoutException(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.FRAMES, seed);
    }

    @Property
    void icmpQuotesDecodeWithoutException(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.ICMP_QUOTES, seed);
    }

    @Property
    void repliesSurviveTheArchiveRoundTrip(@ForAll @LongRange(min = Long.MIN_VALUE) long seed) {
        run(ArchiveFuzz.Target.ROUND_TRIP, seed);
    }
}
