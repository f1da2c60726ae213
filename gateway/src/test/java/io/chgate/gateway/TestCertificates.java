package io.chgate.gateway;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and the certificates tests need, made in the test (nothing lies around): a server's for 127.0.0.1 and
 * localhost, a client's, an expired one, one for another name. Keys are RSA or EC, written as PKCS#8 or in their
 * traditional forms (PKCS#1 / SEC1).
 */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    enum KeyKind { RSA, EC }

    /** A certificate and its key. */
    record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {
        /** Writes {@code <name>.crt} and {@code <name>.key} (PKCS#8 unless {@code traditional}) into {@code dir}. */
        Pem write(Path dir, String name, boolean traditional) throws IOException {
            Path cert = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            Files.writeString(cert, pem(chain.toArray()));
            Files.writeString(key, traditional ? traditional(key()) : pemPkcs8(key()));
            return new Pem(cert, key);
        }

        /** An SSLContext presenting this certificate as a client, trusting {@code ca}. */
        SSLContext clientContext(TestCertificates ca) throws Exception {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), ca.trustManagers(), null);
            return context;
        }
    }

    record Pem(Path cert, Path key) {
    }

    private final KeyPair caKeys;
    private final X509Certificate ca;

    TestCertificates(String name) throws Exception {
        caKeys = keys(KeyKind.EC);
        X500Principal subject = new X500Principal("CN=" + name + ",O=chgate tests");
        Instant now = Instant.now();
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), subject, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca = sign(builder, caKeys.getPrivate());
    }

    X509Certificate ca() {
        return ca;
    }

    Path writeCa(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, pem(ca));
        return file;
    }

    /** A server certificate for 127.0.0.1 and localhost, valid now. */
    Issued server(String cn, KeyKind kind) throws Exception {
        return issue("CN=" + cn + ",O=chgate tests", kind, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)), "127.0.0.1", "localhost");
    }

    /** A certificate valid now for {@code names} only (DNS names or IP addresses). */
    Issued forNames(String subject, KeyKind kind, String... names) throws Exception {
        return issue(subject, kind, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)),
                names);
    }

    /** A server certificate for 127.0.0.1 and localhost that expired yesterday. */
    Issued expired(String cn) throws Exception {
        return issue("CN=" + cn + ",O=chgate tests", KeyKind.RSA, Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1)), "127.0.0.1", "localhost");
    }

    /** A client certificate of {@code subject}. */
    Issued client(String subject) throws Exception {
        return issue(subject, KeyKind.EC, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)));
    }

    TrustManagerFactory trust() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        return trust;
    }

    javax.net.ssl.TrustManager[] trustManagers() throws Exception {
        return trust().getTrustManagers();
    }

    /** An SSLContext trusting this CA only, presenting no certificate. */
    SSLContext trustingOnly() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(), null);
        return context;
    }

    private Issued issue(String subject, KeyKind kind, Instant from, Instant until, String... names)
            throws Exception {
        KeyPair pair = keys(kind);
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(from), Date.from(until),
                new X500Principal(subject), pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (names.length > 0) {
            GeneralName[] alt = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                alt[i] = new GeneralName(names[i].matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName,
                        names[i]);
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
        }
        X509Certificate certificate = sign(builder, caKeys.getPrivate());
        return new Issued(certificate, pair.getPrivate(), List.of(certificate));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, PrivateKey issuerKey) throws Exception {
        var signer = new JcaContentSignerBuilder(issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA"
                : "SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair keys(KeyKind kind) throws Exception {
        if (kind == KeyKind.RSA) {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return rsa.generateKeyPair();
        }
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair();
    }

    /** PEM in the object's traditional form: a key as PKCS#1 (RSA) or SEC1 (EC). */
    static String pem(Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        }
        return out.toString();
    }

    /** A key as PKCS#1 (RSA) or SEC1 with its curve named (EC), as openssl writes them. */
    static String traditional(PrivateKey key) throws IOException {
        if (!key.getAlgorithm().equals("EC")) {
            return pem(key);
        }
        var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
        var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                info.getPrivateKeyAlgorithm().getParameters());
        StringWriter out = new StringWriter();
        try (var writer = new org.bouncycastle.util.io.pem.PemWriter(out)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return out.toString();
    }

    static String pemPkcs8(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return out.toString();
    }
}
