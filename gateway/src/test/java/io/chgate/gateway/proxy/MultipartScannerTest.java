package io.chgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MultipartScannerTest {
    static final String B = "XyZ0123boundary";

    /** What the scanner reported, as text: part name, file flag and content. */
    static List<String> parts(String body, int... cuts) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        long[] start = new long[1];
        String[] current = new String[1];
        MultipartScanner scanner = new MultipartScanner(B, new MultipartScanner.Listener() {
            @Override
            public void onPart(long partStart, String name, boolean file, long contentStart) {
                current[0] = name + (file ? "(file)" : "");
                start[0] = contentStart;
            }

            @Override
            public void onPartEnd(long contentEnd) {
                out.add(current[0] + "=" + new String(bytes, (int) start[0], (int) (contentEnd - start[0]),
                        StandardCharsets.UTF_8));
            }

            @Override
            public void onEnd() {
                out.add("END");
            }
        });
        int from = 0;
        for (int cut : cuts) {
            scanner.scan(Unpooled.wrappedBuffer(bytes, from, cut - from));
            from = cut;
        }
        scanner.scan(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        assertThat(scanner.offset()).isEqualTo(bytes.length);
        return out;
    }

    static String field(String name, String value) {
        return "--" + B + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    static String file(String name, String value) {
        return "--" + B + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                + ".tsv\"\r\nContent-Type: application/octet-stream\r\n\r\n" + value + "\r\n";
    }

    static final String FORM = field("query", "SELECT * FROM ext") + file("ext", "1\n2\r\n-- not a boundary\n")
            + field("query", " WHERE 1") + "--" + B + "--\r\n";

    @Test
    void reportsEveryPartWithItsContent() {
        assertThat(parts(FORM)).containsExactly("query=SELECT * FROM ext", "ext(file)=1\n2\r\n-- not a boundary\n",
                "query= WHERE 1", "END");
    }

    @Test
    void acceptsEmptyParts() {
        String body = "--" + B + "\r\nContent-Disposition: form-data; name=query\r\n\r\nSELECT 1\r\n--" + B
                + "\r\nContent-Disposition: form-data\r\n\r\n\r\n--" + B + "--";
        assertThat(parts(body)).containsExactly("query=SELECT 1", "null=", "END");
    }

    @Test
    void quotedNamesMayHoldSemicolons() {
        String body = "--" + B + "\r\ncontent-disposition: form-data; name=\"a;b\"; filename=\"x\"\r\n\r\nv\r\n--"
                + B + "--\r\n";
        assertThat(parts(body)).containsExactly("a;b(file)=v", "END");
    }

    /** Finding C10: shapes two form parsers may read differently are refused, not guessed at. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "preamble\r\n--B\r\nContent-Disposition: form-data; name=query\r\n\r\nSELECT 1\r\n--B--",
        "--B\nContent-Disposition: form-data; name=query\n\nSELECT 1\n--B--",
        "--B\r\nContent-Disposition: form-data; name=query\r\n\r\nSELECT 1\n--B--",
        "--B\r\nContent-Disposition: form-data;\r\n name=query\r\n\r\nSELECT 1\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=a; name=query\r\n\r\nSELECT 1\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=x\r\nContent-Disposition: form-data; name=query\r\n\r\n1\r\n--B--",
        "--B\r\nContent-Disposition: form-data; name=query; filename*=UTF-8''q\r\n\r\nSELECT 1\r\n--B--",
        "--B\r\nContent-Disposition: attachment; name=query\r\n\r\nSELECT 1\r\n--B--",
        "--B\r\nContent-Type: text/plain\r\n\r\nSELECT 1\r\n--B--"
    })
    void refusesShapesParsersReadDifferently(String form) {
        assertThatThrownBy(() -> parts(form.replace("--B", "--" + B)))
                .isInstanceOf(MultipartScanner.MalformedFormException.class);
    }

    @Property
    void anySplitOfTheBodyReadsTheSame(@ForAll @IntRange(min = 0, max = 200) int a,
            @ForAll @IntRange(min = 0, max = 200) int b) {
        int length = FORM.getBytes(StandardCharsets.UTF_8).length;
        int first = Math.min(a, b) * length / 200;
        int second = Math.max(a, b) * length / 200;
        assertThat(parts(FORM, first, second)).isEqualTo(parts(FORM));
    }

    @Test
    void refusesHeadersThatNeverEnd() {
        String body = "--" + B + "\r\n" + "X-Filler: y\r\n".repeat(2000);
        assertThatThrownBy(() -> parts(body)).isInstanceOf(MultipartScanner.MalformedFormException.class);
    }

    @Test
    void readsTheBoundaryFromTheContentType() {
        assertThat(MultipartScanner.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartScanner.boundary("multipart/form-data;boundary=\"a b\"; charset=x")).isEqualTo("a b");
        assertThat(MultipartScanner.boundary("multipart/form-data")).isNull();
    }
}
