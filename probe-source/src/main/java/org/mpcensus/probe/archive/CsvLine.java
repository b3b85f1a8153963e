package org.mpcensus.probe.archive;

import java.util.ArrayList;
import java.util.List;

/** One line of a CSV file (RFC 4180 quoting), as ZMap writes them. */
final class CsvLine {
    private CsvLine() {}

    /**
     * Splits one CSV line; fields may be double-quoted with "" escapes. Null when a quote is open.
     */
    static List<String> split(String text) {
        if (text.indexOf('"') < 0) {
            List<String> out = new ArrayList<>(16);
            int start = 0;
            int comma;
            while ((comma = text.indexOf(',', start)) >= 0) {
                out.add(text.substring(start, comma));
                start = comma + 1;
            }
            out.add(text.substring(start));
            return out;
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(cur.toString());
        return out;
    }
}
