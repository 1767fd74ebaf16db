package ai.piopiy.runtime.text;

/** The little JSON the engine writes itself (error results for tools), without a JSON library. */
public final class Json {

    private Json() {}

    /** {@code {"error": "<message>"}} */
    public static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
