package io.chgate.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key, read from PEM files: the key as PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}); the chain's first certificate must
 * be the key's. Every failure is an {@link IllegalArgumentException} that names the file and never shows key bytes.
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {
    /** The JDK's key factory for each key algorithm's OID. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA", "1.2.840.10045.2.1", "EC", "1.3.101.112", "Ed25519", "1.3.101.113", "Ed448");

    public static KeyMaterial read(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new IllegalArgumentException("the private key in " + keyFile + " does not match the certificate in "
                    + certFile + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new KeyMaterial(key, chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Every certificate in a PEM file, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + file);
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("no PEM certificate could be read from " + file + ": "
                    + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) {
        Object parsed;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            parsed = parser.readObject();
            while (parsed != null && !isKey(parsed)) {
                parsed = parser.readObject();   // e.g. EC PARAMETERS before the key
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read a PEM private key from " + file);
        }
        if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IllegalArgumentException("the private key in " + file + " is encrypted; give it unencrypted"
                    + " (readable only by chgate's user)");
        }
        PrivateKeyInfo info = parsed instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
                : parsed instanceof PrivateKeyInfo i ? i : null;
        if (info != null) {
            try {
                String algorithm = ALGORITHMS.get(info.getPrivateKeyAlgorithm().getAlgorithm().getId());
                if (algorithm == null) {
                    throw new IllegalArgumentException("the private key in " + file + " is of a kind chgate cannot"
                            + " use (RSA, EC or Ed25519 are)");
                }
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("the private key in " + file + " cannot be read: "
                        + e.getClass().getSimpleName());
            }
        }
        throw new IllegalArgumentException("no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"
                + " in " + file);
    }

    private static boolean isKey(Object parsed) {
        return parsed instanceof PEMKeyPair || parsed instanceof PrivateKeyInfo
                || parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "chgate key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;   // e.g. an RSA key beside an EC certificate
        }
    }
}
