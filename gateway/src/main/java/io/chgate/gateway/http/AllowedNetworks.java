package io.chgate.gateway.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client addresses allowed to connect ({@code allowed_networks}, chproxy's name): IPv4 and IPv6 addresses and
 * CIDR ranges, matched by Netty's {@link IpSubnetFilterRule}. An empty list allows every address.
 */
public final class AllowedNetworks {
    public static final AllowedNetworks ANY = new AllowedNetworks(List.of());

    private final List<IpSubnetFilterRule> rules;

    private AllowedNetworks(List<IpSubnetFilterRule> rules) {
        this.rules = rules;
    }

    /**
     * @param entries {@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code 2001:db8::/32}, {@code ::1}
     * @throws IllegalArgumentException naming the first entry that is neither an address nor a CIDR range
     */
    public static AllowedNetworks of(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return ANY;
        }
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String entry : entries) {
            rules.add(rule(entry));
        }
        return new AllowedNetworks(List.copyOf(rules));
    }

    private static IpSubnetFilterRule rule(String entry) {
        String text = entry == null ? "" : entry.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        // Only literal addresses: a host name here would be looked up, and the list would depend on DNS.
        if (address.isEmpty() || !(address.indexOf(':') >= 0 || address.chars().allMatch(c -> c == '.'
                || Character.isDigit(c)))) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            int maxPrefix = parsed.getAddress().length * 8;
            int prefix = slash < 0 ? maxPrefix : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > maxPrefix) {
                throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + maxPrefix);
            }
            return new IpSubnetFilterRule(parsed, prefix, IpFilterRuleType.ACCEPT);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
        }
    }

    public boolean allows(InetAddress client) {
        if (rules.isEmpty()) {
            return true;
        }
        InetSocketAddress address = new InetSocketAddress(client, 0);
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(address)) {
                return true;
            }
        }
        return false;
    }
}
