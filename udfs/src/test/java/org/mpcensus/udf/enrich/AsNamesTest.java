package org.mpcensus.udf.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    // The example of CAIDA's AS Organizations README, in both of its formats, plus an AS whose
    // organisation is missing.
    static final String AS2ORG_TEXT =
            """
            # name: AS Org
            # format:org_id|changed|org_name|country|source
            LVLT-ARIN|20120130|Level 3 Communications, Inc.|US|ARIN
            # format:aut|changed|aut_name|org_id|opaque_id|source
            1|20120224|LVLT-1|LVLT-ARIN|e5e3b9c13678dfc483fb1f819d70883c_ARIN|ARIN
            3356|20120224|LEVEL3|LVLT-ARIN|e5e3b9c13678dfc483fb1f819d70883c_ARIN|ARIN
            64512|20200101|ORPHAN|NO-SUCH-ORG|x|RIPE
            """;

    static final String AS2ORG_JSONL =
            """
            {"asn":"1","changed":"20120224","name":"LVLT-1","opaqueId":"e5e3b9c13678dfc483fb1f819d70883c_ARIN","organizationId":"LVLT-ARIN","source":"ARIN","type":"ASN"}
            {"changed":"20120130","country":"US","name":"Level 3 Communications, Inc.","organizationId":"LVLT-ARIN","source":"ARIN","type":"Organization"}
            {"asn":"3356","changed":"20120224","name":"LEVEL3","opaqueId":"x","organizationId":"LVLT-ARIN","source":"ARIN","type":"ASN"}
            {"asn":"64512","changed":"20200101","name":"ORPHAN","opaqueId":"x","organizationId":"NO-SUCH-ORG","source":"RIPE","type":"ASN"}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"as-org2info.txt", "as-org2info.txt.gz", "as-org2info.jsonl"})
    void readsCaidasAsOrganizationsInBothFormats(String name, @TempDir Path dir) throws Exception {
        String content = name.contains("jsonl") ? AS2ORG_JSONL : AS2ORG_TEXT;
        Path file = dir.resolve(name);
        try (OutputStream out =
                name.endsWith(".gz")
                        ? new GZIPOutputStream(Files.newOutputStream(file))
                        : Files.newOutputStream(file)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        AsNames names = AsNames.load(file);
        assertThat(names.size()).isEqualTo(3);
        assertThat(names.name(3356)).isEqualTo("LEVEL3 - Level 3 Communications, Inc., US");
        assertThat(names.country(1)).isEqualTo("US");
        assertThat(names.name(64512)).isEqualTo("ORPHAN");
        assertThat(names.country(64512)).isNull();
    }

    @Test
    void aCaidaRowWithTheWrongNumberOfFieldsIsAnError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.txt"), AS2ORG_TEXT + "7|only-two\n");
        assertThatThrownBy(() -> AsNames.load(file))
                .hasMessageContaining(":8: 2 fields where the format has 6");
    }
}
