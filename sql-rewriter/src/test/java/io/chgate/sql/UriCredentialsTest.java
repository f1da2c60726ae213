package io.chgate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UriCredentialsTest {
    @Test
    void userInformationOfEveryUriIsMasked() {
        assertThat(UriCredentials.mask("'mongodb://bi:s3cret@h:27017/db', 'x' 'https://k:v@b.example/a'"))
                .isEqualTo("'mongodb://******@h:27017/db', 'x' 'https://******@b.example/a'");
        assertThat(UriCredentials.mask("mongodb+srv://only-user@cluster/db")).isEqualTo("mongodb+srv://******@cluster/db");
    }

    @Test
    void uriWithoutUserInformationIsLeftAlone() {
        String text = "SELECT * FROM url('https://h.example/path?a=b@c', CSV) WHERE x = 'a@b'";
        assertThat(UriCredentials.mask(text)).isEqualTo(text);
    }

    @Test
    void maskSecretsMasksAUriAddressItWouldOtherwiseShow() {
        assertThat(SqlRewriter.maskSecrets("SELECT * FROM mongodb('mongodb://bi:pw-42@127.0.0.1:27017/shop', 'c', 's')"))
                .doesNotContain("pw-42").contains("mongodb://******@127.0.0.1:27017/shop");
    }
}
