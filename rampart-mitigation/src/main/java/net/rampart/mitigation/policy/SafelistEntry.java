package net.rampart.mitigation.policy;

import net.rampart.mitigation.IpPrefix;

/**
 * Addresses Rampart must never filter (resolvers, routers, monitoring), with why.
 *
 * @param origin {@code file} for the inventory file, else who added it through the API
 */
public record SafelistEntry(IpPrefix prefix, String reason, String origin) {
}
