package net.rampart.wire.bgp;

/** KEEPALIVE: a header without a body. */
public record KeepaliveMessage() implements BgpMessage {

    public static final KeepaliveMessage INSTANCE = new KeepaliveMessage();

    @Override
    public int type() {
        return TYPE_KEEPALIVE;
    }
}
