package org.mpcensus.udf.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The network type of ASes from a PeeringDB {@code net} dump: the JSON of {@code
 * https://www.peeringdb.com/api/net} ({@code {"data":[{"asn":2818,"name":"BBC","info_type":
 * "Content",...}]}}), gzip allowed. The type is {@code info_type} ({@code NSP}, {@code Content},
 * {@code Cable/DSL/ISP}, {@code Enterprise}, {@code Educational/Research}, ...), or the first of
 * {@code info_types} where a newer dump has that list instead. Immutable.
 */
public final class PeeringDbNetworks implements Serializable {
    private final Map<Long, String> types;

    private PeeringDbNetworks(Map<Long, String> types) {
        this.types = types;
    }

    /**
     * Loads the dump.
     *
     * @throws IOException naming the file when it is not a {@code net} dump
     */
    public static PeeringDbNetworks load(Path file) throws IOException {
        JsonNode data;
        try (InputStream raw = Files.newInputStream(file);
                InputStream in =
                        file.getFileName().toString().endsWith(".gz")
                                ? new GZIPInputStream(raw)
                                : raw) {
            data = new ObjectMapper().readTree(in).path("data");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not PeeringDB JSON: " + e.getOriginalMessage());
        }
        if (!data.isArray()) {
            throw new IOException(file + ": not a PeeringDB net dump (no \"data\" list)");
        }
        Map<Long, String> types = new HashMap<>();
        for (JsonNode net : data) {
            if (!net.path("asn").canConvertToLong()) {
                continue;
            }
            String type = net.path("info_type").asText("");
            if (type.isEmpty()
                    && net.path("info_types").isArray()
                    && !net.path("info_types").isEmpty()) {
                type = net.path("info_types").get(0).asText("");
            }
            if (!type.isEmpty()) {
                types.put(net.path("asn").asLong(), type);
            }
        }
        return new PeeringDbNetworks(Map.copyOf(types));
    }

    /** The network type PeeringDB gives for an AS, or null. */
    public String type(long asn) {
        return types.get(asn);
    }

    public int size() {
        return types.size();
    }
}
