package io.chgate.sql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials written into a URI ({@code mongodb://user:password@host}, {@code https://key:secret@bucket...}), wherever
 * a string of the SQL holds one: in a source's argument chgate shows (the address), in a refused statement, in a
 * source chgate does not know. Masked in whatever is shown to a person.
 */
final class UriCredentials {
    /** A scheme, {@code ://}, then user information up to the {@code @} that ends it (RFC 3986: no / ? # inside). */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://)([^/?#@\\s]*)@");

    private UriCredentials() {
    }

    /** The text with the user information of every URI in it replaced by {@code ******}. */
    static String mask(String text) {
        Matcher m = USER_INFO.matcher(text);
        return m.find() ? m.replaceAll("$1******@") : text;
    }
}
