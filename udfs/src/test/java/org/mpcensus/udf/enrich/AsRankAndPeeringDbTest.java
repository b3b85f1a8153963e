package org.mpcensus.udf.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CAIDA AS Rank and PeeringDB net dumps, in the formats of their APIs (see PROVENANCE.md). */
class AsRankAndPeeringDbTest {
    static Path sample(String name) throws URISyntaxException {
        return Path.of(AsRankAndPeeringDbTest.class.getResource("/enrich/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"asrank-asns.json", "asrank-asns.jsonl"})
    void readsTheRankOfEachAsInEitherShape(String name) throws Exception {
        AsRank ranks = AsRank.load(sample(name));
        assertThat(ranks.size()).isEqualTo(2);
        assertThat(ranks.rank(3356)).isEqualTo(1);
        assertThat(ranks.rank(2497)).isEqualTo(87);
        assertThat(ranks.rank(64496)).isNull();
    }

    @Test
    void readsOneAsAnswerAndGzip(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("one.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(
                    "{\"data\":{\"asn\":{\"asn\":\"2497\",\"asnName\":\"IIJ\",\"rank\":87}}}"
                            .getBytes());
        }
        assertThat(AsRank.load(gz).rank(2497)).isEqualTo(87);
    }

    @Test
    void aFileThatIsNotAsRankIsRefusedByName(@TempDir Path dir) throws IOException {
        Path other =
                Files.writeString(
                        dir.resolve("asnames.json"), "{\"3356\": \"LEVEL3 - Level 3, US\"}");
        assertThatThrownBy(() -> AsRank.load(other))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("asnames.json")
                .hasMessageContaining("no AS with a rank");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"data\": [");
        assertThatThrownBy(() -> AsRank.load(broken)).isInstanceOf(IOException.class);
    }

    @Test
    void readsPeeringDbsNetworkTypesOldAndNew() throws Exception {
        PeeringDbNetworks nets = PeeringDbNetworks.load(sample("peeringdb-net.json"));
        assertThat(nets.type(2818)).isEqualTo("Content");
        assertThat(nets.type(64496)).isEqualTo("NSP");
        assertThat(nets.type(64497)).isNull();
        assertThat(nets.size()).isEqualTo(2);
    }

    @Test
    void aFileThatIsNotAPeeringDbDumpIsRefusedByName(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("x.json"), "{\"data\": {\"asn\": 1}}");
        assertThatThrownBy(() -> PeeringDbNetworks.load(other))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("x.json");
    }
}
