package net.rampart.rpki.rtr;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.rampart.rpki.Serial;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.SnapshotHistory.Version;
import net.rampart.wire.DecodeException;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.rtr.CacheReset;
import net.rampart.wire.rtr.ErrorCode;
import net.rampart.wire.rtr.ErrorReport;
import net.rampart.wire.rtr.PduType;
import net.rampart.wire.rtr.ResetQuery;
import net.rampart.wire.rtr.RtrPdu;
import net.rampart.wire.rtr.RtrPduDecoder;
import net.rampart.wire.rtr.RtrPduEncoder;
import net.rampart.wire.rtr.SerialNotify;
import net.rampart.wire.rtr.SerialQuery;

/**
 * One router's RTR session. The first PDU fixes the protocol version (a version above 2
 * gets an Error Report carrying version 2 and the connection closes, so the router can
 * retry lower). Every answer is written as one buffer on the channel's event loop, and
 * Serial Notify runs on that same loop, so a notify can never land inside an answer.
 * Any error closes this connection only.
 */
final class RtrSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RtrSession.class);

    private final SnapshotHistory history;
    private final RtrResponses responses;
    private final AtomicInteger connected;
    /** Negotiated version, or -1 before the router's first PDU. Written on the event loop, read by the API. */
    private volatile int version = -1;
    /** Serial of the last answer sent, or -1 before the first. */
    private volatile long lastSerial = -1;
    private volatile Instant connectedAt;
    private volatile InetSocketAddress remote;

    RtrSession(SnapshotHistory history, RtrResponses responses, AtomicInteger connected) {
        this.history = history;
        this.responses = responses;
        this.connected = connected;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connected.incrementAndGet();
        // remote first: a reader that sees connectedAt set sees remote too (both volatile).
        remote = (InetSocketAddress) ctx.channel().remoteAddress();
        connectedAt = Instant.now();
        log.atInfo().addKeyValue("event", "rtr_client_connected")
                .addKeyValue("client", String.valueOf(ctx.channel().remoteAddress())).log("RTR client connected");
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connected.decrementAndGet();
        log.atInfo().addKeyValue("event", "rtr_client_disconnected")
                .addKeyValue("client", String.valueOf(ctx.channel().remoteAddress())).log("RTR client disconnected");
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RtrFrameDecoder.BadFrame bad) {
            fail(ctx, headerVersion(bad.header()), ErrorCode.CORRUPT_DATA, bad.header(), bad.error().getMessage());
            return;
        }
        byte[] bytes = (byte[]) msg;
        int pduVersion = bytes[0] & 0xFF;
        if (pduVersion > RtrPdu.MAX_VERSION) {
            // Tell the router the highest version spoken here, in that version's header.
            fail(ctx, version >= 0 ? version : RtrPdu.MAX_VERSION, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, bytes,
                    "highest supported version is " + RtrPdu.MAX_VERSION);
            return;
        }
        if (version >= 0 && pduVersion != version) {
            fail(ctx, version, ErrorCode.UNEXPECTED_PROTOCOL_VERSION, bytes,
                    "session runs version " + version + ", PDU has " + pduVersion);
            return;
        }
        RtrPdu pdu;
        try {
            pdu = RtrPduDecoder.decode(ByteBuffer.wrap(bytes));
        } catch (DecodeException e) {
            ErrorCode code = PduType.ofCode(bytes[1] & 0xFF) == null ? ErrorCode.UNSUPPORTED_PDU_TYPE
                    : ErrorCode.CORRUPT_DATA;
            fail(ctx, pduVersion, code, bytes, e.getMessage());
            return;
        }
        version = pduVersion;
        switch (pdu) {
            case ResetQuery q -> answerReset(ctx);
            case SerialQuery q -> answerSerial(ctx, q);
            case ErrorReport e -> {
                log.atWarn().addKeyValue("event", "rtr_client_error").addKeyValue("code", e.errorCode())
                        .addKeyValue("text", e.text()).log("RTR client reported an error");
                ctx.close();
            }
            default -> fail(ctx, version, ErrorCode.INVALID_REQUEST, bytes, "a router does not send " + pdu.type());
        }
    }

    /** This session as the API lists it; empty before the connection is active. */
    Optional<RtrConnection> connection() {
        Instant since = connectedAt;
        if (since == null) {
            return Optional.empty();
        }
        int v = version;
        long serial = lastSerial;
        return Optional.of(new RtrConnection(AddressText.of(remote.getAddress()), remote.getPort(), since,
                v < 0 ? null : v, serial < 0 ? null : serial));
    }

    private boolean noData(ChannelHandlerContext ctx, Version v) {
        if (v.serial() == 0 && v.snapshot().isEmpty()) {
            // Nothing fetched yet in a new session: the router should retry, not accept an empty set.
            ErrorReport report = new ErrorReport(version, ErrorCode.NO_DATA_AVAILABLE, new byte[0],
                    "no RPKI data yet");
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RtrPduEncoder.encode(report)));
            return true;
        }
        return false;
    }

    private void answerReset(ChannelHandlerContext ctx) {
        Version v = history.current();
        if (noData(ctx, v)) {
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(responses.full(v, version)));
        lastSerial = Integer.toUnsignedLong(v.serial());
    }

    private void answerSerial(ChannelHandlerContext ctx, SerialQuery q) {
        Version v = history.current();
        if (noData(ctx, v)) {
            return;
        }
        Optional<byte[]> answer = q.sessionId() == v.sessionId()
                ? responses.incremental(v, version, q.serial()) : Optional.empty();
        if (answer.isPresent()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(answer.get()));
            lastSerial = Integer.toUnsignedLong(v.serial());
        } else {
            log.atInfo().addKeyValue("event", "rtr_cache_reset").addKeyValue("session_id", q.sessionId())
                    .addKeyValue("serial", Serial.toString(q.serial())).log("RTR serial not retained: cache reset");
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RtrPduEncoder.encode(new CacheReset(version))));
        }
    }

    /** Sends Serial Notify for a new serial; only to routers that have negotiated a version. */
    void notifySerial(Channel ch, Version v) {
        if (version >= 0 && ch.isActive()) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(
                    RtrPduEncoder.encode(new SerialNotify(version, v.sessionId(), v.serial()))));
        }
    }

    private void fail(ChannelHandlerContext ctx, int reportVersion, ErrorCode code, byte[] offending, String text) {
        log.atWarn().addKeyValue("event", "rtr_protocol_error").addKeyValue("code", code.name())
                .addKeyValue("client", String.valueOf(ctx.channel().remoteAddress())).addKeyValue("detail", text)
                .log("RTR protocol error: closing the session");
        // The offending PDU goes back only if it is whole and small; Error Reports are never nested.
        byte[] encapsulated = offending.length <= 1024 && (offending.length < 2 || offending[1] != 10) ? offending
                : new byte[0];
        ErrorReport report = new ErrorReport(Math.min(Math.max(reportVersion, 0), RtrPdu.MAX_VERSION), code,
                encapsulated, text);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(RtrPduEncoder.encode(report)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static int headerVersion(byte[] header) {
        return Math.min(header[0] & 0xFF, RtrPdu.MAX_VERSION);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.atWarn().addKeyValue("event", "rtr_session_error").addKeyValue("error", String.valueOf(cause))
                .log("RTR session failed: closing it");
        ctx.close();
    }
}
