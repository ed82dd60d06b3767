package net.rampart.collector.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterConnectionTest {

    /** A session that never sees Initiation or Peer Up, and records how it ended. */
    private static final class SilentSession implements RouterSession {
        final List<String> closes = new ArrayList<>();

        @Override
        public void onMessage(byte[] message) {
        }

        @Override
        public boolean established() {
            return false;
        }

        @Override
        public void onClose(String reason) {
            closes.add(reason);
        }
    }

    /** An in-memory channel from a router at 192.0.2.1, as the listener's TCP channels are. */
    private static EmbeddedChannel connect(RouterConnection connection) throws Exception {
        var channel = new EmbeddedChannel(false, false, connection) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("192.0.2.1", 40000);
            }
        };
        channel.register();
        return channel;
    }

    @Test
    void aClosedConnectionLeavesNoEstablishCheckBehindToHoldIt() throws Exception {
        var session = new SilentSession();
        var channel = connect(new RouterConnection(source -> session, Duration.ofSeconds(60)));
        assertThat(channel.runScheduledPendingTasks()).as("the establish check is scheduled").isPositive();

        // Through the pipeline, as a router's FIN closes a TCP channel: EmbeddedChannel.close()
        // would itself cancel whatever is scheduled and hide a check left behind.
        channel.pipeline().close();
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(session.closes).containsExactly("connection closed by the router");
        assertThat(channel.runScheduledPendingTasks()).as("nothing left scheduled").isEqualTo(-1);
    }

    @Test
    void aConnectionThatNeverEstablishesIsClosedWhenTheCheckFires() throws Exception {
        var session = new SilentSession();
        var channel = connect(new RouterConnection(source -> session, Duration.ofSeconds(60)));
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(session.closes).containsExactly("no BMP Initiation or Peer Up within 60 s");
    }
}
