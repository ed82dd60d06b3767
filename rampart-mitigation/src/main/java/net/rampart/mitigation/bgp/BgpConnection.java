package net.rampart.mitigation.bgp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.EventExecutor;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;

/**
 * The message stream of one TCP connection to a router: it cuts the bytes into BGP messages by
 * the length in their header, decodes them with the capabilities agreed so far, and encodes what
 * the session sends. What a message means, and what to do about a bad one, is its
 * {@link Listener}'s business.
 */
final class BgpConnection extends ChannelInboundHandlerAdapter {

    private static final int MAX_MESSAGE = 4096;

    /** What happens on a connection, told on its event loop. */
    interface Listener {

        void connected(BgpConnection connection);

        /** A message arrived, an UPDATE too: the router is alive. Told before the message. */
        void heard(BgpConnection connection);

        /** Any message but an UPDATE: an originator learns nothing from them, so none is decoded. */
        void received(BgpConnection connection, BgpMessage message);

        /** A message broke the protocol; the NOTIFICATION code and subcode that answer it. */
        void malformed(BgpConnection connection, int code, int subcode, String reason);

        void failed(BgpConnection connection, Throwable cause);

        void closed(BgpConnection connection);
    }

    private final Listener listener;
    private ChannelHandlerContext ctx;
    private PeerCapabilities capabilities = PeerCapabilities.FOUR_OCTET_AS;

    private BgpConnection(Listener listener) {
        this.listener = listener;
    }

    /** Makes a new channel a BGP connection that tells {@code listener} what happens on it. */
    static void install(Channel channel, Listener listener) {
        channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 16, 2, -18, 0))
                .addLast(new BgpConnection(listener));
    }

    /**
     * What both OPENs agreed, for the messages from then on. Until then it is 4-octet AS, which
     * Rampart always offers.
     */
    void capabilities(PeerCapabilities agreed) {
        capabilities = agreed;
    }

    /** Sends the OPEN at once; nothing is agreed before it, so it takes the encoding every speaker reads. */
    void sendOpen(OpenMessage open) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(open, PeerCapabilities.LEGACY)));
    }

    /** Queues a message; {@link #flush} sends the queue, so a batch of UPDATEs leaves together. */
    void send(BgpMessage message) {
        ctx.channel().write(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(message, capabilities)));
    }

    void flush() {
        ctx.channel().flush();
    }

    ChannelFuture sendNow(BgpMessage message) {
        return ctx.writeAndFlush(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(message, capabilities)));
    }

    ChannelFuture close() {
        return ctx.close();
    }

    /** The connection's event loop, on which the listener is told everything. */
    EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        listener.connected(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        byte[] bytes;
        try {
            bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
        } finally {
            frame.release();
        }
        listener.heard(this);
        int type = bytes.length > 18 ? bytes[18] & 0xFF : -1;
        if (type == BgpMessage.TYPE_UPDATE) {
            return; // learned routes are of no use to an originator
        }
        BgpMessage message;
        try {
            message = BgpMessageDecoder.decode(bytes, 0, bytes.length, capabilities);
        } catch (DecodeException e) {
            int code = type == BgpMessage.TYPE_OPEN ? NotificationMessage.OPEN_MESSAGE_ERROR
                    : NotificationMessage.MESSAGE_HEADER_ERROR;
            listener.malformed(this, code, 0, "undecodable message: " + e.getMessage());
            return;
        }
        listener.received(this, message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.closed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            listener.malformed(this, NotificationMessage.MESSAGE_HEADER_ERROR, 2, "bad message length");
        } else {
            listener.failed(this, cause);
        }
    }
}
