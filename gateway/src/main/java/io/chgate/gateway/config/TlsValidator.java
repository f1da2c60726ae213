package io.chgate.gateway.config;

import io.chgate.gateway.tls.KeyMaterial;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The TLS keys' checks: the listener's certificate and key readable and matching (so chgate refuses to start, or a
 * reload is refused, rather than failing every handshake), CA files readable, users' certificate subjects well
 * formed and unique, and an upstream's TLS settings coherent.
 */
final class TlsValidator {
    private TlsValidator() {
    }

    static void validate(GatewayConfig c, List<ConfigProblem> problems) {
        ListenTls tls = c.listenTls;
        if (tls.enabled()) {
            try {
                HostPort listen = HostPort.parse(tls.address);
                if (c.listen != null && tls.address.equals(c.listen) && listen.port() != 0) {
                    problems.add(new ConfigProblem("", "listen_tls.address", "must differ from listen"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("", "listen_tls.address", e.getMessage()));
            }
            if (blank(tls.certFile)) {
                problems.add(new ConfigProblem("", "listen_tls.cert_file", "the HTTPS listener needs its PEM"
                        + " certificate chain"));
            }
            if (blank(tls.keyFile)) {
                problems.add(new ConfigProblem("", "listen_tls.key_file", "the HTTPS listener needs its PEM key"));
            }
            if (!blank(tls.certFile) && !blank(tls.keyFile)) {
                try {
                    KeyMaterial.read(Path.of(tls.certFile), Path.of(tls.keyFile));
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem("", "listen_tls.key_file", e.getMessage()));
                }
            }
            caFile(problems, "listen_tls.client_ca_file", tls.clientCaFile);
        } else if (!blank(tls.certFile) || !blank(tls.keyFile) || !blank(tls.clientCaFile)) {
            problems.add(new ConfigProblem("", "listen_tls.address", "certificate files are given but no address to"
                    + " serve HTTPS on"));
        }
        subjects(c, problems);
        caFile(problems, "upstream.tls.ca_file", c.upstream.tls.caFile);
        if (c.upstream.tls.insecureSkipVerify && !blank(c.upstream.tls.caFile)) {
            problems.add(new ConfigProblem("", "upstream.tls.insecure_skip_verify", "skips the check ca_file is for;"
                    + " give one of them"));
        }
    }

    private static void subjects(GatewayConfig c, List<ConfigProblem> problems) {
        Map<X500Principal, String> seen = new HashMap<>();
        for (int i = 0; i < c.users.size(); i++) {
            GatewayConfig.User user = c.users.get(i);
            if (user == null || blank(user.tlsSubject)) {
                continue;
            }
            String at = "users[" + i + "].tls_subject";
            if (!c.listenTls.clientCertificates()) {
                problems.add(new ConfigProblem("", at, "a certificate subject needs client certificates:"
                        + " give listen_tls.client_ca_file"));
            }
            X500Principal subject;
            try {
                subject = new X500Principal(user.tlsSubject);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("", at, "not a certificate subject (e.g. CN=bi-server,O=Example): "
                        + e.getMessage()));
                continue;
            }
            String other = seen.putIfAbsent(subject, user.name);
            if (other != null) {
                problems.add(new ConfigProblem("", at, "user " + other + " has the same subject; a certificate logs"
                        + " in as one user"));
            }
        }
    }

    private static void caFile(List<ConfigProblem> problems, String path, String file) {
        if (!blank(file)) {
            try {
                KeyMaterial.certificates(Path.of(file));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("", path, e.getMessage()));
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
