package io.chgate.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An error the engine reported, with ClickHouse's error code and its message in the server's text form. */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)\\.");

    private final int code;

    public EngineException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** From the engine's error text ({@code Code: 62. DB::Exception: ...}); 1001 (STD_EXCEPTION) when it has none. */
    static EngineException fromEngineText(String text) {
        String message = text.strip();
        Matcher m = CODE.matcher(message);
        int code = m.find() ? Integer.parseInt(m.group(1)) : 1001;
        if (!message.startsWith("Code: ")) {
            message = "Code: " + code + ". DB::Exception: " + message;
        }
        return new EngineException(code, message);
    }

    public int code() {
        return code;
    }
}
