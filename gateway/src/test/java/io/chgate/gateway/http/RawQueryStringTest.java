package io.chgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chgate.gateway.error.ClickHouseError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The query string's decoding against the JDK's form decoder, which reads {@code +} and {@code %XX} the same way. */
class RawQueryStringTest {

    @Test
    void aRequestLinesBytesAboveAsciiAreUtf8LikeTheirEscapes() {
        // Netty hands the request line over one char per byte: "Ã©" is the two bytes of "é" in UTF-8.
        assertThat(RawQueryString.parse("/?q=%C3%A9+\u00c3\u00a9").first("q")).isEqualTo("é é");
    }

    @Property(tries = 2000)
    void decodesPairsAsTheJdkFormDecoderDoes(@ForAll @StringLength(max = 40) @Chars({'%', '+', '=', '&', 'a', 'Z', '€'})
            @CharRange(from = '0', to = '9') @CharRange(from = 'A', to = 'F') String query) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        // The JDK's decoder takes "%+a" (Integer.parseInt reads a sign); an escape is two hex digits, or malformed.
        boolean malformed = !query.replaceAll("%[0-9A-Fa-f]{2}", "").replaceAll("[^%]", "").isEmpty();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                names.add(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
                values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                malformed = true;
            }
        }
        if (malformed) {
            assertThatThrownBy(() -> RawQueryString.parse("/p?" + query)).isInstanceOf(ClickHouseError.class);
            return;
        }
        RawQueryString parsed = RawQueryString.parse("/p?" + query + "#fragment");
        assertThat(parsed.path()).isEqualTo("/p");
        assertThat(parsed.names()).isEqualTo(names);
        for (int i = 0; i < names.size(); i++) {
            assertThat(parsed.asMap().get(names.get(i))).contains(values.get(i));
        }
        assertThat(parsed.uriWithout()).isEqualTo(("/p?" + String.join("&",
                List.of(query.split("&", -1)).stream().filter(p -> !p.isEmpty()).toList())).replaceAll("\\?$", ""));
    }
}
