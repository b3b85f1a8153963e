package org.mpcensus.udf.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * CAIDA's AS Rank (ASes ranked by customer cone size) from a file of its API's answers: the JSON of
 * {@code https://api.asrank.caida.org/v2/restful/asns} ({@code {"data":{"asns":{"edges":
 * [{"node":{"asn":"3356","asnName":"LEVEL3","rank":1,...}}]}}}}), of one AS ({@code
 * {"data":{"asn":{...}}}}), or JSON Lines of such nodes, one AS per line, as CAIDA's download
 * script writes them; gzip allowed. Immutable.
 */
public final class AsRank implements Serializable {
    private final Map<Long, Integer> ranks;

    private AsRank(Map<Long, Integer> ranks) {
        this.ranks = ranks;
    }

    /**
     * Loads the file.
     *
     * @throws IOException naming the file when it holds no AS with a rank
     */
    public static AsRank load(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<Long, Integer> ranks = new HashMap<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in =
                        file.getFileName().toString().endsWith(".gz")
                                ? new GZIPInputStream(raw)
                                : raw;
                BufferedReader lines =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            while (first != null && first.isBlank()) {
                first = lines.readLine();
            }
            if (first == null) {
                throw new IOException(file + ": empty");
            }
            JsonNode head;
            try {
                head = json.readTree(first);
            } catch (IOException e) {
                head = null;
            }
            if (head != null && head.has("asn") && head.has("rank")) {
                // JSON Lines of nodes
                add(ranks, head);
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        add(ranks, json.readTree(line));
                    }
                }
            } else {
                StringBuilder all = new StringBuilder(first).append('\n');
                char[] buffer = new char[1 << 16];
                int n;
                while ((n = lines.read(buffer)) > 0) {
                    all.append(buffer, 0, n);
                }
                JsonNode data = json.readTree(all.toString()).path("data");
                if (data.has("asn")) {
                    add(ranks, data.get("asn"));
                }
                for (JsonNode edge : data.path("asns").path("edges")) {
                    add(ranks, edge.path("node"));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not AS Rank JSON: " + e.getOriginalMessage());
        }
        if (ranks.isEmpty()) {
            throw new IOException(file + ": no AS with a rank (not an AS Rank file?)");
        }
        return new AsRank(Map.copyOf(ranks));
    }

    private static void add(Map<Long, Integer> ranks, JsonNode node) {
        JsonNode asn = node.path("asn");
        JsonNode rank = node.path("rank");
        if (!asn.isMissingNode() && rank.canConvertToInt()) {
            try {
                ranks.put(Long.parseLong(asn.asText()), rank.asInt());
            } catch (NumberFormatException ignored) {
                // not an AS number: not ranked
            }
        }
    }

    /** The AS's rank (1 is the largest customer cone), or null. */
    public Integer rank(long asn) {
        return ranks.get(asn);
    }

    public int size() {
        return ranks.size();
    }
}
