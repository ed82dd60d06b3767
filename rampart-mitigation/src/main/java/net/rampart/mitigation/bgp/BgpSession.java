package net.rampart.mitigation.bgp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.rampart.mitigation.reconcile.AnnouncementSession;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.KeepaliveMessage;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.RouteRefreshMessage;
import net.rampart.wire.bgp.UpdateMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One BGP session to one router (RFC 4271 finite state machine, reduced to what a route
 * originator needs): OPEN with IPv4/IPv6 FlowSpec, 4-octet AS and route refresh, keepalives
 * and the hold timer, NOTIFICATION on errors, reconnect with exponential backoff. It keeps its
 * Adj-RIB-Out, so the reconciler can compare what the router has with what it should have.
 *
 * <p>UPDATEs from the router are not read: Rampart originates FlowSpec and learns nothing.
 */
public final class BgpSession implements AnnouncementSession {

    private static final Logger log = LoggerFactory.getLogger(BgpSession.class);
    private static final AfiSafi IPV6_FLOWSPEC = new AfiSafi(AfiSafi.AFI_IPV6, AfiSafi.SAFI_FLOWSPEC);
    private static final int MAX_MESSAGE = 4096;

    public enum State {
        IDLE,
        CONNECT,
        OPEN_SENT,
        OPEN_CONFIRM,
        ESTABLISHED
    }

    private final BgpPeer peer;
    private final SpeakerSettings settings;
    private final EventLoopGroup group;
    private final Executor callbacks;
    private final SessionListener onEstablished;
    private final boolean passive;
    private final Map<FlowMatch, FlowSpecRule> ribOut = new LinkedHashMap<>();
    private final Set<AfiSafi> families = new HashSet<>();
    private volatile State state = State.IDLE;
    private volatile Channel channel;
    private volatile boolean stopped;
    private volatile String lastError = "";
    private PeerCapabilities caps = PeerCapabilities.FOUR_OCTET_AS;
    private OpenMessage sentOpen;
    private long lastReceivedNanos;
    private long holdNanos;
    private ScheduledFuture<?> timers;
    private Duration backoff;

    /**
     * @param callbacks     runs {@code onEstablished}, off the network threads: it may block
     * @param onEstablished called once the session is up, to send it the desired rules
     */
    BgpSession(BgpPeer peer, SpeakerSettings settings, EventLoopGroup group, Executor callbacks,
               SessionListener onEstablished, boolean passive) {
        this.peer = peer;
        this.settings = settings;
        this.group = group;
        this.callbacks = callbacks;
        this.onEstablished = onEstablished;
        this.passive = passive;
        this.backoff = settings.retryMin();
    }

    @Override
    public String peer() {
        return peer.toString();
    }

    public BgpPeer bgpPeer() {
        return peer;
    }

    public State state() {
        return state;
    }

    /** Why the session last went down, or empty. */
    public String lastError() {
        return lastError;
    }

    @Override
    public boolean established() {
        return state == State.ESTABLISHED;
    }

    @Override
    public synchronized Set<FlowSpecRule> announced() {
        return Set.copyOf(ribOut.values());
    }

    @Override
    public synchronized boolean carries(FlowSpecRule rule) {
        return families.isEmpty() || families.contains(FlowSpecEncoding.family(rule.match()));
    }

    @Override
    public synchronized void announce(Collection<FlowSpecRule> rules) {
        if (state != State.ESTABLISHED) {
            return;
        }
        List<FlowSpecRule> sendable = rules.stream().filter(this::carries).toList();
        if (sendable.isEmpty()) {
            return;
        }
        boolean ebgp = peer.asn() != settings.localAsn();
        for (UpdateMessage u : FlowSpecEncoding.announcements(sendable, settings.localAsn(), ebgp)) {
            send(u);
        }
        channel.flush();
        sendable.forEach(r -> ribOut.put(r.match(), r));
    }

    @Override
    public synchronized void withdraw(Collection<FlowSpecRule> rules) {
        if (state != State.ESTABLISHED) {
            return;
        }
        List<FlowMatch> matches = new ArrayList<>();
        for (FlowSpecRule r : rules) {
            if (ribOut.remove(r.match()) != null) {
                matches.add(r.match());
            }
        }
        if (matches.isEmpty()) {
            return;
        }
        for (UpdateMessage u : FlowSpecEncoding.withdrawals(matches)) {
            send(u);
        }
        channel.flush();
    }

    /** Active mode: connects now; on failure or loss, again after the backoff. */
    void connect() {
        if (stopped || passive) {
            return;
        }
        state = State.CONNECT;
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        install(ch);
                    }
                });
        b.connect(new InetSocketAddress(peer.address(), peer.port())).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                lastError = "connect failed: " + f.cause().getMessage();
                state = State.IDLE;
                scheduleReconnect();
            }
        });
    }

    /** Passive mode: takes over a connection the router opened. Returns false when one is already up. */
    synchronized boolean accept(SocketChannel ch) {
        if (stopped || state != State.IDLE) {
            return false;
        }
        state = State.CONNECT;
        install(ch);
        return true;
    }

    private void install(SocketChannel ch) {
        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 16, 2, -18, 0))
                .addLast(new Handler());
    }

    private void scheduleReconnect() {
        if (stopped || passive) {
            return;
        }
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax()
                : backoff.multipliedBy(2);
        group.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the session. With {@code notify} the router is told (Cease, administrative
     * shutdown) and drops the rules at once; without, the connection just closes, and a router
     * doing graceful restart keeps them for the restart time.
     */
    void stop(boolean notify) {
        stopped = true;
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (notify && state == State.ESTABLISHED) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(
                    new NotificationMessage(NotificationMessage.CEASE, 2, new byte[0]), caps)))
                    .awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    private void send(BgpMessage message) {
        channel.write(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(message, caps)));
    }

    private OpenMessage open() {
        List<Capability> capabilities = new ArrayList<>();
        capabilities.add(new Capability.Multiprotocol(AfiSafi.IPV4_FLOWSPEC));
        capabilities.add(new Capability.Multiprotocol(IPV6_FLOWSPEC));
        capabilities.add(new Capability.RouteRefresh());
        capabilities.add(new Capability.FourOctetAs(settings.localAsn()));
        if (!settings.restartTime().isZero()) {
            capabilities.add(new Capability.GracefulRestart(false, false, (int) settings.restartTime().toSeconds(),
                    List.of(new Capability.GracefulRestartFamily(AfiSafi.IPV4_FLOWSPEC, false),
                            new Capability.GracefulRestartFamily(IPV6_FLOWSPEC, false))));
        }
        return OpenMessage.of(settings.localAsn(), (int) settings.holdTime().toSeconds(), settings.routerId(),
                capabilities);
    }

    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            sentOpen = open();
            caps = PeerCapabilities.FOUR_OCTET_AS;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(sentOpen, PeerCapabilities.LEGACY)));
            state = State.OPEN_SENT;
            lastReceivedNanos = System.nanoTime();
            // Until OPEN arrives the large hold time of RFC 4271 (4 minutes) applies.
            holdNanos = TimeUnit.MINUTES.toNanos(4);
            timers = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), 1, 1, TimeUnit.SECONDS);
        }

        private long lastKeepaliveSent;

        private void tick(ChannelHandlerContext ctx) {
            long now = System.nanoTime();
            if (holdNanos > 0 && now - lastReceivedNanos > holdNanos) {
                fail(ctx, NotificationMessage.HOLD_TIMER_EXPIRED, 0, "hold timer expired");
                return;
            }
            if (state == State.ESTABLISHED || state == State.OPEN_CONFIRM) {
                long interval = holdNanos / 3;
                if (interval > 0 && now - lastKeepaliveSent >= interval) {
                    lastKeepaliveSent = now;
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE,
                            caps)));
                }
            }
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
            lastReceivedNanos = System.nanoTime();
            int type = bytes.length > 18 ? bytes[18] & 0xFF : -1;
            if (type == BgpMessage.TYPE_UPDATE) {
                return; // learned routes are of no use to an originator
            }
            BgpMessage message;
            try {
                message = BgpMessageDecoder.decode(bytes, 0, bytes.length, caps);
            } catch (DecodeException e) {
                int code = type == BgpMessage.TYPE_OPEN ? NotificationMessage.OPEN_MESSAGE_ERROR
                        : NotificationMessage.MESSAGE_HEADER_ERROR;
                fail(ctx, code, 0, "undecodable message: " + e.getMessage());
                return;
            }
            switch (message) {
                case OpenMessage open -> receivedOpen(ctx, open);
                case KeepaliveMessage k -> {
                    if (state == State.OPEN_CONFIRM) {
                        established();
                    }
                }
                case NotificationMessage n -> {
                    lastError = "router sent NOTIFICATION " + n.code() + "/" + n.subcode();
                    ctx.close();
                }
                case RouteRefreshMessage r -> resend();
                default -> {
                    // nothing else reaches an established originator
                }
            }
        }

        private void receivedOpen(ChannelHandlerContext ctx, OpenMessage open) {
            if (state != State.OPEN_SENT) {
                fail(ctx, NotificationMessage.FSM_ERROR, 0, "unexpected OPEN in " + state);
                return;
            }
            if (open.autonomousSystem() != peer.asn()) {
                fail(ctx, NotificationMessage.OPEN_MESSAGE_ERROR, 2, "peer AS " + open.autonomousSystem()
                        + " is not the configured " + peer.asn());
                return;
            }
            int theirHold = open.holdTimeSeconds();
            if (theirHold == 1 || theirHold == 2) {
                fail(ctx, NotificationMessage.OPEN_MESSAGE_ERROR, 6, "unacceptable hold time " + theirHold);
                return;
            }
            long hold = Math.min(theirHold, settings.holdTime().toSeconds());
            holdNanos = TimeUnit.SECONDS.toNanos(hold);
            synchronized (BgpSession.this) {
                caps = PeerCapabilities.forMessagesFrom(sentOpen, open);
                families.clear();
                for (Capability c : open.capabilities()) {
                    if (c instanceof Capability.Multiprotocol mp && mp.afiSafi().safi() == AfiSafi.SAFI_FLOWSPEC) {
                        families.add(mp.afiSafi());
                    }
                }
            }
            if (families.isEmpty()) {
                fail(ctx, NotificationMessage.OPEN_MESSAGE_ERROR, 7, "router supports no FlowSpec family");
                return;
            }
            state = State.OPEN_CONFIRM;
            lastKeepaliveSent = System.nanoTime();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE, caps)));
        }

        private void established() {
            state = State.ESTABLISHED;
            backoff = settings.retryMin();
            lastError = "";
            log.atInfo().addKeyValue("event", "bgp_session_up").addKeyValue("peer", peer.toString())
                    .addKeyValue("families", families.toString())
                    .addKeyValue("hold_seconds", TimeUnit.NANOSECONDS.toSeconds(holdNanos))
                    .log("BGP session established");
            callbacks.execute(() -> {
                try {
                    onEstablished.established(BgpSession.this);
                } finally {
                    endOfRib();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timers != null) {
                timers.cancel(false);
            }
            boolean wasUp = state == State.ESTABLISHED;
            synchronized (BgpSession.this) {
                state = State.IDLE;
                ribOut.clear();
                channel = null;
            }
            if (wasUp || !stopped) {
                log.atInfo().addKeyValue("event", "bgp_session_down").addKeyValue("peer", peer.toString())
                        .addKeyValue("reason", lastError.isEmpty() ? "connection closed" : lastError)
                        .log("BGP session down");
            }
            scheduleReconnect();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
                fail(ctx, NotificationMessage.MESSAGE_HEADER_ERROR, 2, "bad message length");
            } else {
                lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                ctx.close();
            }
        }

        private void fail(ChannelHandlerContext ctx, int code, int subcode, String why) {
            lastError = why;
            log.atWarn().addKeyValue("event", "bgp_session_error").addKeyValue("peer", peer.toString())
                    .addKeyValue("notification", code + "/" + subcode).addKeyValue("reason", why)
                    .log("BGP session error; sending NOTIFICATION");
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BgpMessageEncoder.encode(
                    new NotificationMessage(code, subcode, new byte[0]), caps))).addListener(f -> ctx.close());
        }
    }

    private synchronized void resend() {
        if (state == State.ESTABLISHED && !ribOut.isEmpty()) {
            List<FlowSpecRule> all = List.copyOf(ribOut.values());
            ribOut.clear();
            announce(all);
        }
    }

    private synchronized void endOfRib() {
        if (state != State.ESTABLISHED || settings.restartTime().isZero()) {
            return;
        }
        for (AfiSafi family : families) {
            send(FlowSpecEncoding.endOfRib(family));
        }
        channel.flush();
    }
}
