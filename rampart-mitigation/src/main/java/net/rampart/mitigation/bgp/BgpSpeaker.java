package net.rampart.mitigation.bgp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.rampart.mitigation.reconcile.AnnouncementSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rampart's native BGP speaker: one {@link BgpSession} per configured router, all on one small
 * Netty event loop. In passive mode it listens and takes the configured routers' connections.
 */
public final class BgpSpeaker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BgpSpeaker.class);

    private final SpeakerSettings settings;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final List<BgpSession> sessions;
    private final List<SessionListener> sessionListeners = new CopyOnWriteArrayList<>();
    private Channel listener;

    public BgpSpeaker(SpeakerSettings settings) {
        this.settings = settings;
        boolean passive = settings.passivePort() != 0;
        this.sessions = settings.peers().stream()
                .map(p -> new BgpSession(p, settings, group, callbacks, this::established, passive)).toList();
    }

    /**
     * Adds a listener told of every session that comes up; add it before {@link #start}. A method
     * rather than a constructor argument because the listener (the reconciler) reads the
     * speaker's sessions, so it can only be made once the speaker exists.
     */
    public void addSessionListener(SessionListener sessionListener) {
        sessionListeners.add(sessionListener);
    }

    private void established(BgpSession session) {
        for (SessionListener l : sessionListeners) {
            l.established(session);
        }
    }

    /**
     * Connects to every router, or in passive mode starts listening on {@code bindAddress}.
     *
     * @throws InterruptedException when interrupted while binding
     */
    public void start(InetAddress bindAddress) throws InterruptedException {
        if (settings.passivePort() == 0) {
            sessions.forEach(BgpSession::connect);
            return;
        }
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetAddress remote = ch.remoteAddress().getAddress();
                        BgpSession session = sessions.stream()
                                .filter(s -> s.bgpPeer().address().equals(remote)).findFirst().orElse(null);
                        if (session == null || !session.accept(ch)) {
                            log.atWarn().addKeyValue("event", "bgp_connection_refused")
                                    .addKeyValue("remote", remote.getHostAddress())
                                    .log("BGP connection from an unknown or already connected router refused");
                            ch.close();
                        }
                    }
                })
                .bind(new InetSocketAddress(bindAddress, settings.passivePort())).sync().channel();
    }

    /** The port the passive listener is bound to, or 0. */
    public int listenPort() {
        return listener == null ? 0 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public List<BgpSession> sessions() {
        return sessions;
    }

    public List<AnnouncementSession> announcementSessions() {
        return List.copyOf(sessions);
    }

    /**
     * Ends every session: with {@code notify} each router is told (and drops the rules at
     * once); without, connections just close (see {@link SpeakerSettings#restartTime()}).
     */
    public void stop(boolean notify) {
        if (listener != null) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        sessions.forEach(s -> s.stop(notify));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        callbacks.shutdownNow();
    }

    @Override
    public void close() {
        stop(true);
    }
}
