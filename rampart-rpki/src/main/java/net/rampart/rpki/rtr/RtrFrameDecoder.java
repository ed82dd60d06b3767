package net.rampart.rpki.rtr;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import net.rampart.wire.DecodeException;
import net.rampart.wire.rtr.RtrFramer;

/**
 * Cuts the TCP stream into whole PDUs (as byte arrays) using the bounded framer; a
 * length beyond the bound is reported to the session as a {@link DecodeException} and the
 * rest of the stream is ignored.
 */
final class RtrFrameDecoder extends ByteToMessageDecoder {

    private final RtrFramer framer;
    private boolean failed;

    RtrFrameDecoder(RtrFramer framer) {
        this.framer = framer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 8) {
            int length;
            try {
                length = framer.completePduLength(in.nioBuffer(in.readerIndex(), in.readableBytes()));
            } catch (DecodeException e) {
                failed = true;
                byte[] header = new byte[8];
                in.readBytes(header);
                in.skipBytes(in.readableBytes());
                out.add(new BadFrame(header, e));
                return;
            }
            if (length < 0) {
                return;
            }
            byte[] pdu = new byte[length];
            in.readBytes(pdu);
            out.add(pdu);
        }
    }

    /** A header whose length the framer refused. */
    record BadFrame(byte[] header, DecodeException error) {
    }
}
