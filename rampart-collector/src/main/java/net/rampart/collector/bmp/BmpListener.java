package net.rampart.collector.bmp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import jdk.net.ExtendedSocketOptions;
import net.rampart.wire.ip.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BMP listener routers connect to: one TCP connection per router, each read without pause
 * (a router drops a collector that stops reading) and handed in order to that router's
 * {@link RouterSession}. Sources outside the allowlist are refused and logged.
 */
public final class BmpListener {

    private static final Logger log = LoggerFactory.getLogger(BmpListener.class);

    private final SourceAllowlist allowlist;
    /** RFC 7854 section 4.3: the Initiation is the first message; a minute is generous for it. */
    public static final Duration ESTABLISH_WITHIN = Duration.ofSeconds(60);

    private final Function<InetSocketAddress, RouterSession> sessions;
    private final Duration establishWithin;
    private final ChannelGroup connections = new DefaultChannelGroup("bmp-routers", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel server;

    public BmpListener(SourceAllowlist allowlist, Function<InetSocketAddress, RouterSession> sessions) {
        this(allowlist, sessions, ESTABLISH_WITHIN);
    }

    /**
     * @param establishWithin how long a connection may go without a valid Initiation or Peer Up
     *                        before it is closed
     */
    public BmpListener(SourceAllowlist allowlist, Function<InetSocketAddress, RouterSession> sessions,
                       Duration establishWithin) {
        this.allowlist = allowlist;
        this.sessions = sessions;
        this.establishWithin = establishWithin;
    }

    /**
     * Binds and starts accepting routers.
     *
     * @throws IOException when the port cannot be bound
     */
    public void start(InetAddress address, int port) throws IOException {
        acceptor = new NioEventLoopGroup(1, Thread.ofPlatform().name("bmp-accept-", 0).factory());
        workers = new NioEventLoopGroup(0, Thread.ofPlatform().name("bmp-router-", 0).factory());
        var bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // A router that reconnected after a link flap leaves its old session open here
                // until TCP notices the peer is gone: probe after 60 s of silence, give up after
                // six unanswered probes 10 s apart, instead of the system's two hours and more.
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), 60)
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), 10)
                .childOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), 6)
                .childOption(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        InetSocketAddress source = channel.remoteAddress();
                        if (!allowlist.permits(source.getAddress())) {
                            log.atWarn().addKeyValue("event", "bmp_connection_refused")
                                    .addKeyValue("source", AddressText.of(source.getAddress()))
                                    .addKeyValue("port", source.getPort())
                                    .addKeyValue("allowed", allowlist.toString())
                                    .log("BMP connection from a source outside RAMPART_BMP_ALLOW refused");
                            channel.close();
                            return;
                        }
                        log.atInfo().addKeyValue("event", "bmp_connection_accepted")
                                .addKeyValue("source", AddressText.of(source.getAddress()))
                                .addKeyValue("port", source.getPort())
                                .log("BMP connection accepted");
                        connections.add(channel);
                        channel.pipeline().addLast(new RouterConnection(sessions, establishWithin));
                    }
                });
        try {
            server = bootstrap.bind(address, port).sync().channel();
        } catch (Exception e) {
            stopEventLoops();
            throw new IOException("cannot listen on " + AddressText.of(address) + ":" + port + " (" + e.getMessage() + ")", e);
        }
        if (allowlist.allowsAll()) {
            log.atWarn().addKeyValue("event", "bmp_allow_all")
                    .log("RAMPART_BMP_ALLOW is empty: BMP sessions are accepted from any source (BMP has no authentication)");
        }
        log.atInfo().addKeyValue("event", "bmp_listening").addKeyValue("address", AddressText.of(address))
                .addKeyValue("port", port()).addKeyValue("allowed", allowlist.toString())
                .log("BMP listener started");
    }

    public int port() {
        return server == null ? 0 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    public boolean isBound() {
        return server != null && server.isActive();
    }

    /** Routers connected now. */
    public int connectedRouters() {
        return connections.size();
    }

    /**
     * Closes every router's session while the listener keeps accepting: routers reconnect and
     * resend their tables, which is how nothing is lost when route history had to drop events.
     */
    public void closeSessions(String reason) {
        log.atWarn().addKeyValue("event", "bmp_sessions_closed").addKeyValue("reason", reason)
                .addKeyValue("routers", connections.size()).log("closing every BMP session: " + reason);
        connections.close();
    }

    /**
     * Stops accepting, then closes every router's session after what it has already sent is
     * processed (each connection's pending reads run before its close on the same event loop).
     */
    public void stop(Duration drain) {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        for (Channel channel : connections) {
            channel.eventLoop().execute(() -> {
                var connection = channel.pipeline().get(RouterConnection.class);
                if (connection != null) {
                    connection.closingForShutdown();
                }
                channel.close();
            });
        }
        connections.newCloseFuture().awaitUninterruptibly(drain.toMillis(), TimeUnit.MILLISECONDS);
        stopEventLoops();
    }

    private void stopEventLoops() {
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
