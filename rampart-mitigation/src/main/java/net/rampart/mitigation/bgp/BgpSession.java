package net.rampart.mitigation.bgp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.rampart.mitigation.bgp.OpenNegotiation.Agreed;
import net.rampart.mitigation.bgp.OpenNegotiation.Refused;
import net.rampart.mitigation.reconcile.AnnouncementSession;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.KeepaliveMessage;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
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
 * <p>This class is the state machine and what the speaker and the reconciler call; the OPEN
 * exchange is {@link OpenNegotiation}'s, the timers are {@link HoldTimer} and
 * {@link ConnectRetry}, the bytes {@link BgpConnection}'s and the rules sent {@link AdjRibOut}.
 *
 * <p>UPDATEs from the router are not read: Rampart originates FlowSpec and learns nothing.
 */
public final class BgpSession implements AnnouncementSession {

    private static final Logger log = LoggerFactory.getLogger(BgpSession.class);

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
    private final OpenNegotiation negotiation;
    private final ConnectRetry retry;
    private final AdjRibOut ribOut = new AdjRibOut();
    private final Set<AfiSafi> families = new HashSet<>();
    private volatile State state = State.IDLE;
    private volatile BgpConnection connection;
    private volatile boolean stopped;
    private volatile String lastError = "";

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
        this.negotiation = new OpenNegotiation(peer.asn(), settings);
        this.retry = new ConnectRetry(settings.retryMin(), settings.retryMax());
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
        return ribOut.rules();
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
            connection.send(u);
        }
        connection.flush();
        ribOut.announced(sendable);
    }

    @Override
    public synchronized void withdraw(Collection<FlowSpecRule> rules) {
        if (state != State.ESTABLISHED) {
            return;
        }
        List<FlowMatch> matches = ribOut.withdraw(rules);
        if (matches.isEmpty()) {
            return;
        }
        for (UpdateMessage u : FlowSpecEncoding.withdrawals(matches)) {
            connection.send(u);
        }
        connection.flush();
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
                        BgpConnection.install(ch, new StateMachine());
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
        BgpConnection.install(ch, new StateMachine());
        return true;
    }

    private void scheduleReconnect() {
        if (stopped || passive) {
            return;
        }
        group.schedule(this::connect, retry.next().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the session. With {@code notify} the router is told (Cease, administrative
     * shutdown) and drops the rules at once; without, the connection just closes, and a router
     * doing graceful restart keeps them for the restart time.
     */
    void stop(boolean notify) {
        stopped = true;
        BgpConnection c = connection;
        if (c == null) {
            return;
        }
        if (notify && state == State.ESTABLISHED) {
            c.sendNow(new NotificationMessage(NotificationMessage.CEASE, 2, new byte[0]))
                    .awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** The state machine on one connection: a new connection starts a new one. */
    private final class StateMachine implements BgpConnection.Listener {

        private OpenMessage sentOpen;
        private HoldTimer holdTimer;
        private ScheduledFuture<?> timers;

        @Override
        public void connected(BgpConnection c) {
            connection = c;
            sentOpen = negotiation.open();
            c.sendOpen(sentOpen);
            state = State.OPEN_SENT;
            holdTimer = new HoldTimer(System.nanoTime());
            timers = c.executor().scheduleAtFixedRate(() -> tick(c), 1, 1, TimeUnit.SECONDS);
        }

        private void tick(BgpConnection c) {
            long now = System.nanoTime();
            if (holdTimer.expired(now)) {
                fail(c, NotificationMessage.HOLD_TIMER_EXPIRED, 0, "hold timer expired");
                return;
            }
            if ((state == State.ESTABLISHED || state == State.OPEN_CONFIRM) && holdTimer.keepaliveDue(now)) {
                c.sendNow(KeepaliveMessage.INSTANCE);
            }
        }

        @Override
        public void heard(BgpConnection c) {
            holdTimer.received(System.nanoTime());
        }

        @Override
        public void received(BgpConnection c, BgpMessage message) {
            switch (message) {
                case OpenMessage open -> receivedOpen(c, open);
                case KeepaliveMessage k -> {
                    if (state == State.OPEN_CONFIRM) {
                        established();
                    }
                }
                case NotificationMessage n -> {
                    lastError = "router sent NOTIFICATION " + n.code() + "/" + n.subcode();
                    c.close();
                }
                case RouteRefreshMessage r -> resend();
                default -> {
                    // nothing else reaches an established originator
                }
            }
        }

        private void receivedOpen(BgpConnection c, OpenMessage open) {
            if (state != State.OPEN_SENT) {
                fail(c, NotificationMessage.FSM_ERROR, 0, "unexpected OPEN in " + state);
                return;
            }
            switch (negotiation.negotiate(sentOpen, open)) {
                case Refused r -> fail(c, NotificationMessage.OPEN_MESSAGE_ERROR, r.subcode(), r.reason());
                case Agreed a -> agreed(c, a);
            }
        }

        private void agreed(BgpConnection c, Agreed agreed) {
            holdTimer.negotiated(agreed.holdSeconds());
            synchronized (BgpSession.this) {
                c.capabilities(agreed.capabilities());
                families.clear();
                families.addAll(agreed.flowSpecFamilies());
            }
            if (families.isEmpty()) {
                fail(c, NotificationMessage.OPEN_MESSAGE_ERROR, 7, "router supports no FlowSpec family");
                return;
            }
            state = State.OPEN_CONFIRM;
            holdTimer.keepaliveSent(System.nanoTime());
            c.sendNow(KeepaliveMessage.INSTANCE);
        }

        private void established() {
            state = State.ESTABLISHED;
            retry.reset();
            lastError = "";
            log.atInfo().addKeyValue("event", "bgp_session_up").addKeyValue("peer", peer.toString())
                    .addKeyValue("families", families.toString())
                    .addKeyValue("hold_seconds", holdTimer.holdSeconds())
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
        public void closed(BgpConnection c) {
            if (timers != null) {
                timers.cancel(false);
            }
            boolean wasUp = state == State.ESTABLISHED;
            synchronized (BgpSession.this) {
                state = State.IDLE;
                ribOut.clear();
                connection = null;
            }
            if (wasUp || !stopped) {
                log.atInfo().addKeyValue("event", "bgp_session_down").addKeyValue("peer", peer.toString())
                        .addKeyValue("reason", lastError.isEmpty() ? "connection closed" : lastError)
                        .log("BGP session down");
            }
            scheduleReconnect();
        }

        @Override
        public void malformed(BgpConnection c, int code, int subcode, String reason) {
            fail(c, code, subcode, reason);
        }

        @Override
        public void failed(BgpConnection c, Throwable cause) {
            lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            c.close();
        }

        private void fail(BgpConnection c, int code, int subcode, String why) {
            lastError = why;
            log.atWarn().addKeyValue("event", "bgp_session_error").addKeyValue("peer", peer.toString())
                    .addKeyValue("notification", code + "/" + subcode).addKeyValue("reason", why)
                    .log("BGP session error; sending NOTIFICATION");
            c.sendNow(new NotificationMessage(code, subcode, new byte[0])).addListener(f -> c.close());
        }
    }

    private synchronized void resend() {
        if (state == State.ESTABLISHED && !ribOut.isEmpty()) {
            announce(ribOut.takeAll());
        }
    }

    private synchronized void endOfRib() {
        if (state != State.ESTABLISHED || settings.restartTime().isZero()) {
            return;
        }
        for (AfiSafi family : families) {
            connection.send(FlowSpecEncoding.endOfRib(family));
        }
        connection.flush();
    }
}
