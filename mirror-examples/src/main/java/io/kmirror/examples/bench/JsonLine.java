package io.kmirror.examples.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One flat JSON object on one line: string, number and boolean values, no nesting. Enough for the
 * contenders' result lines and the results file, without a JSON library on the class path.
 */
final class JsonLine {

    private static final Pattern FIELD =
            Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|-?[0-9][0-9.eE+-]*|true|false|null)");

    private JsonLine() {
    }

    /** {@code fields} as one line of JSON, in their iteration order. */
    static String write(Map<String, ?> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(key)).append(':');
            if (value == null) {
                json.append("null");
            } else if (value instanceof Double d) {
                json.append(Double.isFinite(d) ? String.format(java.util.Locale.ROOT, "%.4f", d) : "null");
            } else if (value instanceof Number || value instanceof Boolean) {
                json.append(value);
            } else {
                json.append(quote(value.toString()));
            }
        });
        return json.append('}').toString();
    }

    /** The fields of a line written by {@link #write}: strings as String, numbers as Double or Long, booleans as Boolean. */
    static Map<String, Object> parse(String line) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            String raw = m.group(2);
            Object value;
            if (m.group(3) != null) {
                value = unquote(m.group(3));
            } else if (raw.equals("null")) {
                value = null;
            } else if (raw.equals("true") || raw.equals("false")) {
                value = Boolean.valueOf(raw);
            } else if (raw.matches("-?[0-9]+")) {
                value = Long.valueOf(raw);
            } else {
                value = Double.valueOf(raw);
            }
            fields.put(unquote(m.group(1)), value);
        }
        return fields;
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    private static String unquote(String s) {
        StringBuilder u = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                u.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n' -> u.append('\n');
                case 'r' -> u.append('\r');
                case 't' -> u.append('\t');
                case 'u' -> {
                    u.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> u.append(next);
            }
        }
        return u.toString();
    }
}
