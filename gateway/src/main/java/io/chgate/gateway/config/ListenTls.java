package io.chgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The HTTPS listener ({@code listen_tls}, chproxy's names): beside {@code listen}, or instead of it when
 * {@code listen} is not given. Certificate and key are PEM files, read again on SIGHUP and when they change.
 */
public final class ListenTls {
    /** {@code host:port}; empty: no HTTPS listener. */
    @JsonProperty("address")
    public String address = "";

    /** PEM certificate chain, the server's certificate first. */
    @JsonProperty("cert_file")
    public String certFile = "";

    /** PEM private key (PKCS#8, or PKCS#1 RSA / SEC1 EC), unencrypted. */
    @JsonProperty("key_file")
    public String keyFile = "";

    /** PEM CA certificates; when set, every client must present a certificate one of them signed (mTLS). */
    @JsonProperty("client_ca_file")
    public String clientCaFile = "";

    public boolean enabled() {
        return address != null && !address.isBlank();
    }

    public boolean clientCertificates() {
        return clientCaFile != null && !clientCaFile.isBlank();
    }
}
