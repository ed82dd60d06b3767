package net.rampart.wire.rtr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's RPKI-Router dissector reads the PDUs Rampart encodes and finds the same
 * fields Rampart's decoder finds. Wireshark 4.0 predates the ASPA PDU, so ASPA is left out.
 */
class TsharkAgreementIT {

    private static final int PORT = 3323;
    private static final String[] FIELDS = {"rpki-rtr.version", "rpki-rtr.pdu_type", "rpki-rtr.session_id",
        "rpki-rtr.length", "rpki-rtr.serial_number", "rpki-rtr.flags", "rpki-rtr.prefix_length",
        "rpki-rtr.max_length", "rpki-rtr.ipv4_prefix", "rpki-rtr.ipv6_prefix", "rpki-rtr.as_number",
        "rpki-rtr.error_code", "rpki-rtr.length_pdu", "rpki-rtr.length_text", "rpki-rtr.refresh_interval",
        "rpki-rtr.retry_interval", "rpki-rtr.expire_interval", "rpki-rtr.subject_key_identifier"};

    @Test
    void tsharkDecodesEveryPduToTheSameFields(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not installed: skipping the Wireshark agreement check");
        Arbitrary<RtrPdu> pdus = Arbitraries.oneOf(RtrPduArbitraries.serialNotify(), RtrPduArbitraries.serialQuery(),
                RtrPduArbitraries.resetQuery(), RtrPduArbitraries.cacheResponse(), RtrPduArbitraries.cacheReset(),
                RtrPduArbitraries.ipv4Prefix(), RtrPduArbitraries.ipv6Prefix(), RtrPduArbitraries.endOfData(),
                RtrPduArbitraries.routerKey(), RtrPduArbitraries.errorReport());
        List<RtrPdu> sample = new ArrayList<>(pdus.sampleStream().limit(300).toList());
        // Every type at least once, whatever the random sample holds.
        sample.add(new ErrorReport(1, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
                RtrPduEncoder.encode(new ResetQuery(1)), "try version 1"));
        sample.add(new RouterKey(1, true, new byte[20], 64496, new byte[] {1, 2, 3}));
        sample.add(EndOfData.v0(7, 42));

        Path pcap = dir.resolve("rtr.pcap");
        writePcap(pcap, sample);
        List<String> lines = tshark(pcap);
        assertThat(lines).hasSize(sample.size());
        for (int i = 0; i < sample.size(); i++) {
            String actual = normaliseAddresses(lines.get(i));
            if (sample.get(i) instanceof RouterKey) {
                actual = routerKeyFieldsOnly(actual);
            }
            assertThat(actual).as("PDU %d: %s", i, sample.get(i)).isEqualTo(expectedFields(sample.get(i)));
        }
    }

    /**
     * Wireshark 4.0 does not consume a Router Key's subject public key info and dissects its
     * bytes as if they held further fields (a session id, prefix fields, ...). Only the fields
     * a Router Key has are compared for it: version, type, length, flags, ASN and SKI.
     */
    private static String routerKeyFieldsOnly(String line) {
        String[] f = line.split("\\|", -1);
        java.util.Set<Integer> own = java.util.Set.of(0, 1, 3, 5, 10, 17);
        for (int i = 0; i < f.length; i++) {
            if (!own.contains(i)) {
                f[i] = "";
            }
        }
        return String.join("|", f);
    }

    /** The fields tshark prints for a PDU, in {@link #FIELDS} order, computed from Rampart's own decode. */
    private static String expectedFields(RtrPdu encoded) {
        RtrPdu pdu = RtrPduDecoder.decode(ByteBuffer.wrap(RtrPduEncoder.encode(encoded)));
        String[] f = new String[FIELDS.length];
        java.util.Arrays.fill(f, "");
        f[0] = Integer.toString(pdu.version());
        f[1] = Integer.toString(pdu.type().code());
        f[3] = Integer.toString(RtrPduEncoder.length(pdu));
        switch (pdu) {
            case SerialNotify p -> {
                f[2] = Integer.toString(p.sessionId());
                f[4] = Integer.toUnsignedString(p.serial());
            }
            case SerialQuery p -> {
                f[2] = Integer.toString(p.sessionId());
                f[4] = Integer.toUnsignedString(p.serial());
            }
            case CacheResponse p -> f[2] = Integer.toString(p.sessionId());
            case Ipv4PrefixPdu p -> {
                f[5] = "0x0" + (p.announce() ? 1 : 0);
                f[6] = Integer.toString(p.prefixLength());
                f[7] = Integer.toString(p.maxLength());
                f[8] = address(ByteBuffer.allocate(4).putInt(p.address()).array());
                f[10] = Long.toString(p.asn());
            }
            case Ipv6PrefixPdu p -> {
                f[5] = "0x0" + (p.announce() ? 1 : 0);
                f[6] = Integer.toString(p.prefixLength());
                f[7] = Integer.toString(p.maxLength());
                f[9] = address(ByteBuffer.allocate(16).putLong(p.addressHigh()).putLong(p.addressLow()).array());
                f[10] = Long.toString(p.asn());
            }
            case EndOfData p -> {
                f[2] = Integer.toString(p.sessionId());
                f[4] = Integer.toUnsignedString(p.serial());
                if (p.version() > 0) {
                    f[14] = Long.toString(p.refreshInterval());
                    f[15] = Long.toString(p.retryInterval());
                    f[16] = Long.toString(p.expireInterval());
                }
            }
            case RouterKey p -> {
                f[5] = "0x0" + (p.announce() ? 1 : 0);
                f[10] = Long.toString(p.asn());
                f[17] = HexFormat.of().formatHex(p.subjectKeyIdentifier());
            }
            case ErrorReport p -> {
                f[11] = Integer.toString(p.errorCode());
                f[12] = Integer.toString(p.encapsulatedPdu().length);
                f[13] = Integer.toString(p.text().getBytes(StandardCharsets.UTF_8).length);
            }
            default -> {
            }
        }
        return String.join("|", f);
    }

    /** tshark compresses IPv6 zeros; Java does not. Parsing both literals compares the addresses, not the text. */
    private static String normaliseAddresses(String line) throws IOException {
        String[] f = line.split("\\|", -1);
        for (int i : new int[] {8, 9}) {
            if (i < f.length && !f[i].isEmpty()) {
                byte[] raw = InetAddress.getByName(f[i]).getAddress();
                if (i == 9 && raw.length == 4) {
                    // Java turns an IPv4-mapped IPv6 literal into an IPv4 address.
                    raw = ByteBuffer.allocate(16).putInt(8, 0xFFFF).put(12, raw).array();
                }
                f[i] = address(raw);
            }
        }
        return String.join("|", f);
    }

    private static String address(byte[] raw) {
        try {
            String s = InetAddress.getByAddress(raw).getHostAddress();
            return raw.length == 4 ? s : java.net.Inet6Address.getByAddress(null, raw, null).getHostAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tshark(Path pcap) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-d",
                "tcp.port==" + PORT + ",rpkirtr", "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"));
        for (String field : FIELDS) {
            cmd.add("-e");
            cmd.add(field);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }

    /** One IPv4/TCP packet per PDU on one client-to-cache connection, Ethernet link type. */
    private static void writePcap(Path file, List<RtrPdu> pdus) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer global = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            global.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                    .putInt(1);
            out.write(global.array());
            int seq = 1000;
            int second = 1;
            for (RtrPdu pdu : pdus) {
                byte[] payload = RtrPduEncoder.encode(pdu);
                int ipLength = 20 + 20 + payload.length;
                ByteBuffer frame = ByteBuffer.allocate(14 + ipLength);
                frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
                frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putInt(0).put((byte) 64)
                        .put((byte) 6).putShort((short) 0).put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
                frame.putShort((short) 40000).putShort((short) PORT).putInt(seq).putInt(1).put((byte) 0x50)
                        .put((byte) 0x18).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
                frame.put(payload);
                seq += payload.length;
                ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(second++).putInt(0).putInt(frame.capacity()).putInt(frame.capacity());
                out.write(record.array());
                out.write(frame.array());
            }
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
