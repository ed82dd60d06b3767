package net.rampart.collector.peers;

import java.net.InetAddress;
import net.rampart.collector.rib.RouterId;

/**
 * A router as its BMP Initiation message describes it.
 *
 * @param address  the session's source address; null for a named MRT source
 * @param sysName  sysName information TLV, or null
 * @param sysDescr sysDescr information TLV, or null
 */
public record RouterInfo(RouterId router, InetAddress address, String sysName, String sysDescr) {
}
