package net.rampart.rpki.rtr;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.rampart.rpki.SnapshotHistory;
import net.rampart.wire.rtr.RtrFramer;

/**
 * The RTR cache server (RFC 6810, RFC 8210, draft-ietf-sidrops-8210bis): serves the
 * current payload to routers and tells every connected router when the serial moves.
 */
public final class RtrServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtrServer.class);

    private final SnapshotHistory history;
    private final RtrResponses responses;
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers;
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger connected = new AtomicInteger();
    private Channel listener;

    public RtrServer(SnapshotHistory history, RtrTimers timers, int workerThreads) {
        this.history = history;
        this.responses = new RtrResponses(history, timers);
        this.workers = new NioEventLoopGroup(workerThreads);
    }

    /** Binds the listener; returns the bound address (port 0 picks a free port). */
    public InetSocketAddress start(InetSocketAddress bind) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RtrFrameDecoder(new RtrFramer(RtrFramer.DEFAULT_MAX_PDU_LENGTH)),
                                new RtrSession(history, responses, connected));
                        clients.add(ch);
                    }
                });
        listener = b.bind(bind).sync().channel();
        history.addListener(this::notifyClients);
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        log.atInfo().addKeyValue("event", "rtr_listening").addKeyValue("address", bound.toString())
                .log("RTR server listening");
        return bound;
    }

    /** Routers connected right now. */
    public int connectedClients() {
        return connected.get();
    }

    /** The routers connected right now, longest connected first. */
    public List<RtrConnection> connections() {
        return clients.stream().map(ch -> ch.pipeline().get(RtrSession.class))
                .flatMap(session -> session == null ? Stream.empty() : session.connection().stream())
                .sorted(Comparator.comparing(RtrConnection::connectedAt).thenComparing(RtrConnection::address))
                .toList();
    }

    private void notifyClients(SnapshotHistory.Version v) {
        for (Channel ch : clients) {
            RtrSession session = ch.pipeline().get(RtrSession.class);
            if (session != null) {
                ch.eventLoop().execute(() -> session.notifySerial(ch, v));
            }
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        clients.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
