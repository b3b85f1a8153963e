package org.mpcensus.probe.event;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class ProbeReplySerializationTest {
    @Test
    void eventsAreSerializedAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ProbeReply.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(CensusInput.class);
    }
}
