package io.chgate.vault;

import java.util.Map;

/**
 * What Vault returned for one secret.
 *
 * @param data the values (user, password, ...); never printed
 * @param leaseId the lease, for dynamic credentials; null for KV and static roles
 * @param leaseSeconds how long the values are valid (dynamic: the lease; static roles: until rotation; KV: 0)
 * @param version the KV v2 version, 0 otherwise
 */
public record Secret(Map<String, String> data, String leaseId, long leaseSeconds, boolean renewable, int version) {

    public Secret {
        data = Map.copyOf(data);
    }

    @Override
    public String toString() {
        return "Secret[keys=" + data.keySet() + ", lease=" + (leaseId == null ? "none" : "yes") + ", seconds="
                + leaseSeconds + ", version=" + version + "]";
    }
}
