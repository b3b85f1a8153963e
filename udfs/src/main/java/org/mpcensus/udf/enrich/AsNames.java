package org.mpcensus.udf.enrich;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * AS number to name, from pyasn's {@code asnames.json} ({@code {"<asn>": "<NAME - descr, CC>"}},
 * gzip allowed). The country code after the last comma is available separately. Immutable.
 */
public final class AsNames implements Serializable {
    private final Map<Long, String> names;

    private AsNames(Map<Long, String> names) {
        this.names = names;
    }

    /** Loads the file, streaming it (the real file has about 80,000 ASes). */
    public static AsNames load(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in =
                        file.getFileName().toString().endsWith(".gz")
                                ? new GZIPInputStream(raw)
                                : raw;
                JsonParser p = new ObjectMapper().getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": expected a JSON object of AS numbers to names");
            }
            Map<Long, String> names = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String asn = p.currentName();
                p.nextToken();
                try {
                    names.put(Long.parseLong(asn), p.getValueAsString());
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": '" + asn + "' is not an AS number", e);
                }
            }
            return new AsNames(names);
        }
    }

    public int size() {
        return names.size();
    }

    /** The AS's name and description, e.g. {@code GOOGLE - Google Inc., US}, or null. */
    public String name(long asn) {
        return names.get(asn);
    }

    /** The AS's registration country (the code after the last comma), or null. */
    public String country(long asn) {
        String n = names.get(asn);
        if (n == null) {
            return null;
        }
        int comma = n.lastIndexOf(',');
        String cc = comma < 0 ? "" : n.substring(comma + 1).trim();
        return cc.length() == 2 ? cc : null;
    }
}
