package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.KeepaliveMessage;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

/** The connection on an embedded channel: bytes go in and out on the test's thread. */
class BgpConnectionTest {

    /** What the connection told its listener, in order. */
    private final List<String> told = new ArrayList<>();
    private BgpConnection connection;

    private final BgpConnection.Listener listener = new BgpConnection.Listener() {
        @Override
        public void connected(BgpConnection c) {
            connection = c;
            told.add("connected");
        }

        @Override
        public void heard(BgpConnection c) {
            told.add("heard");
        }

        @Override
        public void received(BgpConnection c, BgpMessage message) {
            told.add(message instanceof NotificationMessage n ? "NOTIFICATION " + n.code() + "/" + n.subcode()
                    : message.getClass().getSimpleName());
        }

        @Override
        public void malformed(BgpConnection c, int code, int subcode, String reason) {
            told.add("malformed " + code + "/" + subcode + ": " + reason);
        }

        @Override
        public void failed(BgpConnection c, Throwable cause) {
            told.add("failed: " + cause);
        }

        @Override
        public void closed(BgpConnection c) {
            told.add("closed");
        }
    };

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
            BgpConnection.install(ch, listener);
        }
    });

    private static byte[] header(int length, int type) {
        byte[] h = new byte[19];
        Arrays.fill(h, 0, 16, (byte) 0xFF);
        h[16] = (byte) (length >> 8);
        h[17] = (byte) length;
        h[18] = (byte) type;
        return h;
    }

    /** A message of {@code type} whose body is {@code body}, its header's length right. */
    private static byte[] message(int type, int... body) {
        byte[] m = Arrays.copyOf(header(19 + body.length, type), 19 + body.length);
        for (int i = 0; i < body.length; i++) {
            m[19 + i] = (byte) body[i];
        }
        return m;
    }

    private byte[] written() {
        ByteBuf out = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    @Test
    void messagesAreCutFromTheStreamWhereverItsBytesBreak() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE, PeerCapabilities.FOUR_OCTET_AS));
        stream.writeBytes(BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE, PeerCapabilities.FOUR_OCTET_AS));
        stream.writeBytes(BgpMessageEncoder.encode(new NotificationMessage(NotificationMessage.CEASE, 2, new byte[0]),
                PeerCapabilities.FOUR_OCTET_AS));
        byte[] bytes = stream.toByteArray();
        for (int from = 0; from < bytes.length; from += 7) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, from, Math.min(7, bytes.length - from)));
        }
        assertThat(told).containsExactly("connected", "heard", "KeepaliveMessage", "heard", "KeepaliveMessage",
                "heard", "NOTIFICATION 6/2");
    }

    @Test
    void anUpdateIsHeardButNeverDecoded() {
        // Not a valid UPDATE: decoding it would report an error.
        channel.writeInbound(Unpooled.wrappedBuffer(message(BgpMessage.TYPE_UPDATE, 0xFF, 0xFF, 0xFF, 0xFF)));
        assertThat(told).containsExactly("connected", "heard");
    }

    @Test
    void anUndecodableOpenIsAnOpenMessageErrorAndAnyOtherAHeaderError() {
        channel.writeInbound(Unpooled.wrappedBuffer(message(BgpMessage.TYPE_OPEN, 4)));
        channel.writeInbound(Unpooled.wrappedBuffer(message(BgpMessage.TYPE_KEEPALIVE, 0)));
        assertThat(told).hasSize(5);
        assertThat(told.get(2)).startsWith("malformed 2/0: undecodable message: ");
        assertThat(told.get(4)).startsWith("malformed 1/0: undecodable message: ");
    }

    @Test
    void aMessageLongerThan4096BytesIsABadMessageLength() {
        channel.writeInbound(Unpooled.wrappedBuffer(header(4097, BgpMessage.TYPE_UPDATE)));
        assertThat(told).containsExactly("connected", "malformed 1/2: bad message length");
    }

    @Test
    void theOpenIsWrittenInTheLegacyEncodingAndTheRestInTheAgreedOne() {
        OpenMessage open = OpenMessage.of(65000, 30, 0x0A000001, List.of());
        connection.sendOpen(open);
        assertThat(written()).isEqualTo(BgpMessageEncoder.encode(open, PeerCapabilities.LEGACY));

        FlowSpecRule rule = new FlowSpecRule(new FlowMatch(IpPrefix.parse("192.0.2.10/32"), OptionalInt.of(17),
                List.of(), false), new FlowAction.Discard());
        UpdateMessage update = FlowSpecEncoding.announcements(List.of(rule), 65000, true).get(0);
        byte[] fourOctet = BgpMessageEncoder.encode(update, PeerCapabilities.FOUR_OCTET_AS);
        byte[] legacy = BgpMessageEncoder.encode(update, PeerCapabilities.LEGACY);
        assertThat(fourOctet).as("the AS path differs").isNotEqualTo(legacy);

        connection.send(update);
        assertThat(channel.<ByteBuf>readOutbound()).as("queued until flushed").isNull();
        connection.flush();
        assertThat(written()).isEqualTo(fourOctet);

        connection.capabilities(PeerCapabilities.LEGACY);
        connection.sendNow(update);
        assertThat(written()).isEqualTo(legacy);
    }

    @Test
    void closingTellsTheListener() {
        connection.close();
        assertThat(told).containsExactly("connected", "closed");
    }
}
