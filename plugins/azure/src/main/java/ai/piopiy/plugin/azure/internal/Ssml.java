package ai.piopiy.plugin.azure.internal;

import java.util.Locale;

/** The SSML document of one synthesis request. */
public final class Ssml {

    private Ssml() {}

    /**
     * {@code <speak>} with one {@code <voice>} holding {@code text}, escaped; a speed other than 1.0 wraps
     * the text in {@code <prosody rate>} (a multiplier of the voice's own rate).
     */
    public static String of(String voice, String language, double speed, String text) {
        StringBuilder out = new StringBuilder(text.length() + 200)
                .append("<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='");
        escape(out, language);
        out.append("'><voice name='");
        escape(out, voice);
        out.append("'>");
        boolean prosody = speed != 1.0;
        if (prosody) {
            out.append("<prosody rate='").append(String.format(Locale.ROOT, "%.2f", speed)).append("'>");
        }
        escape(out, text);
        if (prosody) {
            out.append("</prosody>");
        }
        return out.append("</voice></speak>").toString();
    }

    /**
     * Escapes the five XML specials; characters XML 1.0 cannot carry (C0 controls other than tab, newline
     * and carriage return; U+FFFE and U+FFFF) become spaces, since the service answers a malformed document
     * with 400.
     */
    static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF ? ' ' : c);
            }
        }
    }
}
