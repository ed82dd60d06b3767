package net.rampart.server.config;

import net.rampart.collector.bmp.SourceAllowlist;

/**
 * BMP collector settings.
 *
 * @param allowlist sources allowed to open a BMP session ({@code RAMPART_BMP_ALLOW}); empty allows all
 */
public record CollectorConfig(SourceAllowlist allowlist) {

    public static final String BMP_ALLOW = "RAMPART_BMP_ALLOW";

    public static CollectorConfig from(Settings settings) throws ConfigException {
        try {
            return new CollectorConfig(SourceAllowlist.parse(settings.text(BMP_ALLOW, "")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(BMP_ALLOW, e.getMessage() + " (comma-separated CIDRs, e.g. 192.0.2.0/24,2001:db8::/32)");
        }
    }
}
