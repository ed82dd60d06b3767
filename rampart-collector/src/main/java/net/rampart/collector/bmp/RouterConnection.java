package net.rampart.collector.bmp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bmp.BmpFrameDecoder;
import net.rampart.wire.ip.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One router's TCP connection: cuts the byte stream into BMP messages and hands them to the
 * router's session in order. A bad version or length means the framing is lost, and only this
 * router's connection is closed.
 */
final class RouterConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RouterConnection.class);
    private static final int MAX_LOGGED_BYTES = 256;

    private final Function<InetSocketAddress, RouterSession> sessions;
    private final Duration establishWithin;
    private final BmpFrameDecoder frames = new BmpFrameDecoder();
    private final byte[] chunk = new byte[64 * 1024];
    private RouterSession session;
    private InetSocketAddress source;
    private long connectedAt;
    private String closeReason = "connection closed by the router";
    /** The check that the session was established in time; cancelled when the connection ends. */
    private ScheduledFuture<?> establishCheck;

    RouterConnection(Function<InetSocketAddress, RouterSession> sessions, Duration establishWithin) {
        this.sessions = sessions;
        this.establishWithin = establishWithin;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        source = (InetSocketAddress) ctx.channel().remoteAddress();
        connectedAt = System.nanoTime();
        try {
            session = sessions.apply(source);
        } catch (IllegalStateException refused) {
            log.atError().addKeyValue("event", "bmp_session_refused")
                    .addKeyValue("router", AddressText.of(source.getAddress()))
                    .addKeyValue("port", source.getPort())
                    .addKeyValue("error", refused.getMessage())
                    .log("BMP session refused: " + refused.getMessage());
            ctx.close();
            return;
        }
        // A peer that never says Initiation or Peer Up is not a router: close it rather than hold it.
        establishCheck = ctx.executor().schedule(() -> {
            if (ctx.channel().isOpen() && !session.established()) {
                closeReason = "no BMP Initiation or Peer Up within " + establishWithin.toSeconds() + " s";
                log.atWarn().addKeyValue("event", "bmp_session_not_established")
                        .addKeyValue("router", AddressText.of(source.getAddress()))
                        .addKeyValue("port", source.getPort())
                        .addKeyValue("timeout_s", establishWithin.toSeconds())
                        .log("BMP connection closed: " + closeReason);
                ctx.close();
            }
        }, establishWithin.toMillis(), TimeUnit.MILLISECONDS);
        log.atInfo().addKeyValue("event", "bmp_session_established")
                .addKeyValue("router", AddressText.of(source.getAddress()))
                .addKeyValue("port", source.getPort())
                .log("BMP peer " + AddressText.of(source.getAddress()) + " has established a session");
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buffer = (ByteBuf) msg;
        try {
            while (buffer.isReadable()) {
                int length = Math.min(buffer.readableBytes(), chunk.length);
                buffer.readBytes(chunk, 0, length);
                frames.append(chunk, 0, length);
                deliverCompleteMessages(ctx, length);
                if (!ctx.channel().isOpen()) {
                    return;
                }
            }
        } finally {
            buffer.release();
        }
    }

    private void deliverCompleteMessages(ChannelHandlerContext ctx, int chunkLength) {
        try {
            int length;
            while ((length = frames.nextInPlace()) != 0) {
                byte[] buffer = frames.array();
                int offset = frames.messageOffset();
                if (log.isDebugEnabled()) {
                    log.atDebug().addKeyValue("event", "bmp_message")
                            .addKeyValue("router", AddressText.of(source.getAddress()))
                            .addKeyValue("type", buffer[offset + 5] & 0xFF)
                            .addKeyValue("length", length)
                            .addKeyValue("hex", ByteBufUtil.hexDump(buffer, offset, length))
                            .log("BMP message received");
                }
                session.onMessage(buffer, offset, length);
            }
        } catch (DecodeException framingLost) {
            // The bad header lies in the bytes just received; show their start.
            log.atError().addKeyValue("event", "bmp_framing_lost")
                    .addKeyValue("router", AddressText.of(source.getAddress()))
                    .addKeyValue("error", framingLost.getMessage())
                    .addKeyValue("hex", ByteBufUtil.hexDump(chunk, 0, Math.min(chunkLength, MAX_LOGGED_BYTES)))
                    .log("BMP framing lost; closing this router's session");
            closeReason = "framing lost: " + framingLost.getMessage();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The pending check holds this connection, its buffers and its session: a router that
        // reconnects every few seconds would otherwise keep each closed one for the whole timeout.
        if (establishCheck != null) {
            establishCheck.cancel(false);
            establishCheck = null;
        }
        if (session != null) {
            session.onClose(closeReason);
            log.atInfo().addKeyValue("event", "bmp_session_closed")
                    .addKeyValue("router", AddressText.of(source.getAddress()))
                    .addKeyValue("reason", closeReason)
                    .addKeyValue("duration_s", Duration.ofNanos(System.nanoTime() - connectedAt).toSeconds())
                    .log("BMP session closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeReason = "connection error: " + cause.getMessage();
        log.atWarn().addKeyValue("event", "bmp_connection_error")
                .addKeyValue("router", source == null ? "unknown" : AddressText.of(source.getAddress()))
                .addKeyValue("error", String.valueOf(cause.getMessage()))
                .log("BMP connection error; closing it");
        ctx.close();
    }

    /** Marks the close as the collector's own, so the session logs why. */
    void closingForShutdown() {
        closeReason = "collector stopping";
    }
}
