package org.mpcensus.udf.enrich;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * AS number to name and registration country, from pyasn's {@code asnames.json} ({@code {"<asn>":
 * "<NAME - descr, CC>"}}) or CAIDA's AS Organizations dataset ({@code as-org2info.txt}, pipe
 * separated with {@code # format:} lines, or {@code as-org2info.jsonl}); gzip allowed, the format
 * is recognised from the content. CAIDA entries are named like pyasn's, {@code <AS name> - <org
 * name>, <org country>}. Immutable.
 */
public final class AsNames implements Serializable {
    private final Map<Long, String> names;

    private AsNames(Map<Long, String> names) {
        this.names = names;
    }

    /** Loads the file, streaming it (the real files have about 80,000 to 120,000 ASes). */
    public static AsNames load(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream unzipped =
                        file.getFileName().toString().endsWith(".gz")
                                ? new GZIPInputStream(raw)
                                : raw;
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(unzipped, StandardCharsets.UTF_8))) {
            // Peek at the start: pyasn's file is a single line of megabytes.
            char[] start = new char[4096];
            in.mark(start.length);
            int got = in.read(start);
            in.reset();
            String head = got <= 0 ? "" : new String(start, 0, got).strip();
            int eol = head.indexOf('\n');
            String first = eol < 0 ? head : head.substring(0, eol).strip();
            if (first.isEmpty()) {
                throw new IOException(file + ": empty");
            }
            if (first.startsWith("#") || first.contains("|")) {
                return caidaText(file, in);
            }
            if (first.startsWith("{") && first.endsWith("}") && first.contains("\"type\"")) {
                return caidaJsonLines(file, in);
            }
            return pyasn(file, in);
        }
    }

    private static AsNames pyasn(Path file, Reader in) throws IOException {
        try (JsonParser p = new ObjectMapper().getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": expected a JSON object of AS numbers to names");
            }
            Map<Long, String> names = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String asn = p.currentName();
                p.nextToken();
                names.put(asNumber(file, asn), p.getValueAsString());
            }
            return new AsNames(names);
        }
    }

    /** An organisation of the CAIDA dataset. */
    private record Org(String name, String country) {}

    /** CAIDA's AS number, its name and its organisation id. */
    private record Aut(long asn, String name, String orgId) {}

    private static AsNames caidaText(Path file, BufferedReader in) throws IOException {
        Map<String, Org> orgs = new HashMap<>();
        List<Aut> auts = new ArrayList<>();
        List<String> fields = List.of();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.startsWith("# format:")) {
                fields = List.of(line.substring("# format:".length()).strip().split("\\|"));
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] v = line.split("\\|", -1);
            if (v.length != fields.size()) {
                throw new IOException(
                        file
                                + ":"
                                + n
                                + ": "
                                + v.length
                                + " fields where the format has "
                                + fields.size());
            }
            if (fields.get(0).equals("aut")) {
                auts.add(
                        new Aut(
                                asNumber(file, v[0]),
                                v[column(fields, "aut_name", "name")],
                                v[column(fields, "org_id", "org_id")]));
            } else if (fields.get(0).equals("org_id")) {
                orgs.put(
                        v[0],
                        new Org(
                                v[column(fields, "org_name", "name")],
                                v[column(fields, "country", "country")]));
            } else {
                throw new IOException(file + ":" + n + ": no '# format:' line before the data");
            }
        }
        return caida(auts, orgs);
    }

    /** The index of a column of a {@code # format:} line, by its name or its older name. */
    private static int column(List<String> fields, String name, String older) throws IOException {
        int i = fields.indexOf(name);
        if (i < 0) {
            i = fields.indexOf(older);
        }
        if (i < 0) {
            throw new IOException("no '" + name + "' column in format " + fields);
        }
        return i;
    }

    private static AsNames caidaJsonLines(Path file, BufferedReader in) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Org> orgs = new HashMap<>();
        List<Aut> auts = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = json.readTree(line);
            String type = o.path("type").asText();
            String orgId = o.path("organizationId").asText();
            if (type.equals("ASN")) {
                auts.add(
                        new Aut(
                                asNumber(file, o.path("asn").asText()),
                                o.path("name").asText(),
                                orgId));
            } else if (type.equals("Organization")) {
                orgs.put(orgId, new Org(o.path("name").asText(), o.path("country").asText()));
            } else {
                throw new IOException(file + ":" + n + ": unknown entry type '" + type + "'");
            }
        }
        return caida(auts, orgs);
    }

    private static AsNames caida(List<Aut> auts, Map<String, Org> orgs) {
        Map<Long, String> names = new HashMap<>();
        for (Aut a : auts) {
            Org o = orgs.get(a.orgId());
            names.put(
                    a.asn(),
                    o == null ? a.name() : a.name() + " - " + o.name() + ", " + o.country());
        }
        return new AsNames(names);
    }

    private static long asNumber(Path file, String asn) throws IOException {
        try {
            return Long.parseLong(asn.strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": '" + asn + "' is not an AS number", e);
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
