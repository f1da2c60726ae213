package io.chgate.gateway.tls;

import java.nio.file.Path;

/** Where a TLS listener's PEM files are; {@code clientCaFile} is null when clients present no certificate. */
public record CertificateFiles(Path certFile, Path keyFile, Path clientCaFile) {

    /** From the configuration's strings; a blank client CA is none. */
    public static CertificateFiles of(String certFile, String keyFile, String clientCaFile) {
        return new CertificateFiles(Path.of(certFile), Path.of(keyFile),
                clientCaFile == null || clientCaFile.isBlank() ? null : Path.of(clientCaFile));
    }
}
