package dev.tickeretl.server;

import java.util.Map;

/** Fills {@code {{NAME}}} slots of a page template; only the template is scanned, never the inserted text. */
final class Template {

    private Template() {
    }

    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length)
                .sum());
        int pos = 0;
        while (true) {
            int open = template.indexOf("{{", pos);
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open);
            if (close < 0) {
                break;
            }
            String name = template.substring(open + 2, close);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("template slot {{" + name + "}} has no value");
            }
            out.append(template, pos, open).append(value);
            pos = close + 2;
        }
        return out.append(template, pos, template.length()).toString();
    }

    /** Script text made safe to sit inside a {@code <script>} element: it cannot end the element early. */
    static String inlineScript(String js) {
        return js.replace("</script", "<\\/script").replace("<!--", "<\\!--");
    }
}
