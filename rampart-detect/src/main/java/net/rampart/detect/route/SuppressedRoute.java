package net.rampart.detect.route;

import net.rampart.wire.ip.IpPrefix;

/**
 * One route the flap detector holds suppressed (RFC 2439): what the API lists.
 *
 * @param vantagePoint  whose route it is ({@link VantagePoint#id()})
 * @param figureOfMerit the figure of merit at {@code updatedAt}, its last flap
 * @param suppressedAt  when it reached the suppress threshold
 * @param reuseAt       when it decays to the reuse threshold if it flaps no more
 * @param withdrawn     whether its last event withdrew it
 */
public record SuppressedRoute(IpPrefix prefix, IpPrefix monitoredPrefix, String vantagePoint, double figureOfMerit,
                              long updatedAt, long suppressedAt, long reuseAt, boolean withdrawn) {
}
