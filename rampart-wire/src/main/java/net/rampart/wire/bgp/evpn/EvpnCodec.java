package net.rampart.wire.bgp.evpn;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.PrefixCodec;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/** EVPN NLRI codec (AFI 25 / SAFI 70): route type, length, then the type's fields. */
public final class EvpnCodec {

    private EvpnCodec() {
    }

    /** Decodes EVPN routes until the cursor's section ends. */
    public static void read(WireCursor in, boolean addPath, List<? super EvpnRoute> out) {
        while (in.hasRemaining()) {
            long pathId = addPath ? in.uint32("path identifier") : Nlri.NO_PATH_ID;
            int type = in.uint8("EVPN route type");
            int length = in.uint8("EVPN route length");
            int outer = in.beginSection(length, "EVPN route");
            int start = in.position();
            EvpnRoute route = switch (type) {
                case EvpnRoute.ETHERNET_AUTO_DISCOVERY -> {
                    expect(in, length, 25, "Ethernet A-D route");
                    yield new EvpnRoute.EthernetAutoDiscovery(pathId, rd(in), esi(in), in.uint32("EVPN Ethernet tag"),
                            in.uint24("EVPN MPLS label"));
                }
                case EvpnRoute.MAC_IP_ADVERTISEMENT -> macIp(in, pathId);
                case EvpnRoute.INCLUSIVE_MULTICAST -> {
                    RouteDistinguisher rd = rd(in);
                    long tag = in.uint32("EVPN Ethernet tag");
                    yield new EvpnRoute.InclusiveMulticast(pathId, rd, tag, sizedAddress(in, false));
                }
                case EvpnRoute.ETHERNET_SEGMENT -> {
                    RouteDistinguisher rd = rd(in);
                    EthernetSegmentId esi = esi(in);
                    yield new EvpnRoute.EthernetSegment(pathId, rd, esi, sizedAddress(in, false));
                }
                case EvpnRoute.IP_PREFIX -> ipPrefix(in, pathId, length);
                default -> new EvpnRoute.Unknown(pathId, type, in.bytes(length, "EVPN route"));
            };
            if (in.position() - start != length) {
                throw in.error("EVPN route type " + type + " has " + (length - (in.position() - start)) + " trailing bytes");
            }
            in.endSection(outer);
            out.add(route);
        }
    }

    private static void expect(WireCursor in, int length, int expected, String what) {
        if (length != expected) {
            throw in.error(what + " length " + length + ", expected " + expected);
        }
    }

    private static RouteDistinguisher rd(WireCursor in) {
        return new RouteDistinguisher(in.int64("route distinguisher"));
    }

    private static EthernetSegmentId esi(WireCursor in) {
        return EthernetSegmentId.of(in.bytes(EthernetSegmentId.LENGTH, "Ethernet segment identifier"));
    }

    /** An address preceded by its length in bits: 32 or 128, or 0 when {@code optional}. */
    private static InetAddress sizedAddress(WireCursor in, boolean optional) {
        int bits = in.uint8("EVPN IP address length");
        return switch (bits) {
            case 0 -> {
                if (!optional) {
                    throw in.error("missing IP address");
                }
                yield null;
            }
            case 32 -> address(in.bytes(4, "EVPN IPv4 address"));
            case 128 -> address(in.bytes(16, "EVPN IPv6 address"));
            default -> throw in.error("IP address length " + bits + " bits");
        };
    }

    /** A raw 4- or 16-byte address as an {@link InetAddress} of that family, without any lookup. */
    public static InetAddress address(byte[] raw) {
        try {
            // Inet6Address explicitly, so an IPv4-mapped IPv6 address stays 16 bytes.
            return raw.length == 4 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, null);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("raw address of " + raw.length + " bytes", e);
        }
    }

    private static EvpnRoute macIp(WireCursor in, long pathId) {
        RouteDistinguisher rd = rd(in);
        EthernetSegmentId esi = esi(in);
        long tag = in.uint32("EVPN Ethernet tag");
        int macBits = in.uint8("EVPN MAC address length");
        if (macBits != 48) {
            throw in.error("MAC address length " + macBits);
        }
        long mac = in.uintN(6, "EVPN MAC address");
        InetAddress ip = sizedAddress(in, true);
        int label1 = in.uint24("EVPN MPLS label");
        int label2 = in.remaining() >= 3 ? in.uint24("EVPN second MPLS label") : -1;
        return new EvpnRoute.MacIpAdvertisement(pathId, rd, esi, tag, mac, ip, label1, label2);
    }

    private static EvpnRoute ipPrefix(WireCursor in, long pathId, int length) {
        boolean v4 = length == 34;
        if (!v4 && length != 58) {
            throw in.error("IP prefix route length " + length + ", expected 34 or 58");
        }
        RouteDistinguisher rd = rd(in);
        EthernetSegmentId esi = esi(in);
        long tag = in.uint32("EVPN Ethernet tag");
        int bits = in.uint8("EVPN IP prefix length");
        int size = v4 ? 4 : 16;
        if (bits > size * 8) {
            throw in.error("IP prefix length " + bits);
        }
        byte[] raw = in.bytes(size, "EVPN IP prefix");
        IpPrefix prefix = PrefixCodec.readAddress(new WireCursor(raw), v4 ? 1 : 2, bits);
        InetAddress gateway = address(in.bytes(size, "EVPN gateway address"));
        return new EvpnRoute.IpPrefixRoute(pathId, rd, esi, tag, prefix, gateway, in.uint24("EVPN MPLS label"));
    }

    public static void write(EvpnRoute route, ByteSink out, boolean addPath) {
        if (addPath) {
            if (route.pathId() == Nlri.NO_PATH_ID) {
                throw new IllegalArgumentException("the session uses ADD-PATH: NLRI needs a path id");
            }
            out.u32(route.pathId());
        }
        out.u8(route.routeType());
        int lengthAt = out.size();
        out.u8(0);
        switch (route) {
            case EvpnRoute.EthernetAutoDiscovery r -> {
                out.i64(r.rd().value()).bytes(r.esi().value()).u32(r.ethernetTag()).u24(r.label());
            }
            case EvpnRoute.MacIpAdvertisement r -> {
                out.i64(r.rd().value()).bytes(r.esi().value()).u32(r.ethernetTag()).u8(48).uN(r.mac(), 6);
                writeSized(r.ip(), out);
                out.u24(r.label1());
                if (r.label2() != -1) {
                    out.u24(r.label2());
                }
            }
            case EvpnRoute.InclusiveMulticast r -> {
                out.i64(r.rd().value()).u32(r.ethernetTag());
                writeSized(r.originatorIp(), out);
            }
            case EvpnRoute.EthernetSegment r -> {
                out.i64(r.rd().value()).bytes(r.esi().value());
                writeSized(r.originatorIp(), out);
            }
            case EvpnRoute.IpPrefixRoute r -> {
                out.i64(r.rd().value()).bytes(r.esi().value()).u32(r.ethernetTag()).u8(r.prefix().length());
                out.bytes(switch (r.prefix()) {
                    case Ipv4Prefix p -> new byte[] {(byte) (p.address() >>> 24), (byte) (p.address() >>> 16),
                            (byte) (p.address() >>> 8), (byte) p.address()};
                    case Ipv6Prefix p -> p.addressBytes();
                });
                out.bytes(r.gateway().getAddress());
                out.u24(r.label());
            }
            case EvpnRoute.Unknown r -> out.bytes(r.value());
        }
        out.setU8(lengthAt, out.size() - lengthAt - 1);
    }

    private static void writeSized(InetAddress ip, ByteSink out) {
        if (ip == null) {
            out.u8(0);
        } else {
            byte[] raw = ip.getAddress();
            out.u8(raw.length * 8).bytes(raw);
        }
    }
}
