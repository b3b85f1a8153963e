package org.mpcensus.udf.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mpcensus.probe.testing.SharedData;

class AsNamesTest {
    @Test
    void readsPyasnsRealAsNames() throws Exception {
        AsNames names = AsNames.load(SharedData.file("pyasn/asnames.json.gz"));
        assertThat(names.size()).isEqualTo(77_586);
        assertThat(names.name(3356)).isEqualTo("LEVEL3 - Level 3 Communications, Inc., US");
        assertThat(names.country(3356)).isEqualTo("US");
        assertThat(names.country(64496)).isEqualTo("ZZ");
        assertThat(names.name(4_294_967_295L)).isNull();
    }
}
