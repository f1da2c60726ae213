package io.chgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How chgate checks the certificate of an {@code https://} upstream ({@code upstream.tls}). */
public final class UpstreamTls {
    /** PEM CA certificates trusted for the upstream; empty: the JDK's trust store. */
    @JsonProperty("ca_file")
    public String caFile = "";

    /** The name sent as SNI and checked against the certificate; empty: each node's host. */
    @JsonProperty("server_name")
    public String serverName = "";

    /** Accept any certificate and name: for tests only, and chgate says so loudly in its log. */
    @JsonProperty("insecure_skip_verify")
    public boolean insecureSkipVerify = false;
}
