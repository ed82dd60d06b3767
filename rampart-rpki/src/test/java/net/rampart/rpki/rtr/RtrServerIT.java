package net.rampart.rpki.rtr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.InMemorySnapshotStore;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.rtr.Aspa;
import net.rampart.wire.rtr.CacheReset;
import net.rampart.wire.rtr.ErrorCode;
import net.rampart.wire.rtr.ErrorReport;
import net.rampart.wire.rtr.Ipv4PrefixPdu;
import net.rampart.wire.rtr.Ipv6PrefixPdu;
import net.rampart.wire.rtr.ResetQuery;
import net.rampart.wire.rtr.RouterKey;
import net.rampart.wire.rtr.RtrPdu;
import net.rampart.wire.rtr.SerialNotify;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtrServerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Vrp A = Vrp.parse("192.0.2.0/24", 24, 64496);
    private static final Vrp B = Vrp.parse("2001:db8::/32", 48, 64497);
    private static final Vrp C = Vrp.parse("198.51.100.0/22", 24, 64498);

    private SnapshotHistory history;
    private RtrServer server;
    private InetSocketAddress address;

    private static RpkiSnapshot snapshot(List<Vrp> vrps) {
        return RpkiSnapshot.of(VrpSet.of(vrps), List.of(new AspaRecord(64496, new long[] {64511, 64510})),
                List.of(new RouterKeyRecord(64496, new byte[20], new byte[] {0x30, 0x01})));
    }

    @BeforeEach
    void start() throws InterruptedException {
        history = SnapshotHistory.open(new InMemorySnapshotStore(), 5, Clock.systemUTC());
        history.update(snapshot(List.of(A, B)));
        server = new RtrServer(history, new RtrTimers(900, 300, 3600), 2);
        address = server.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RtrClient client(int version) throws IOException {
        return RtrClient.connect(address, version, TIMEOUT);
    }

    @Test
    void resetQueryGetsTheWholeSetWithWhatEachVersionCarries() throws IOException {
        for (int v = 0; v <= 2; v++) {
            try (RtrClient c = client(v)) {
                RtrClient.Sync sync = c.reset();
                assertThat(sync.sessionId()).isEqualTo(history.current().sessionId());
                assertThat(sync.endOfData().serial()).isEqualTo(history.current().serial());
                assertThat(sync.payload().stream().filter(p -> p instanceof Ipv4PrefixPdu || p instanceof Ipv6PrefixPdu))
                        .hasSize(2);
                assertThat(sync.payload().stream().filter(p -> p instanceof RouterKey)).as("router keys in v%d", v)
                        .hasSize(v >= 1 ? 1 : 0);
                assertThat(sync.payload().stream().filter(p -> p instanceof Aspa)).as("ASPA in v%d", v)
                        .hasSize(v >= 2 ? 1 : 0);
                if (v > 0) {
                    assertThat(sync.endOfData().refreshInterval()).isEqualTo(900);
                    assertThat(sync.endOfData().expireInterval()).isEqualTo(3600);
                }
            }
        }
    }

    @Test
    void serialQueryIsAnsweredIncrementallyAndNotifiesAreSent() throws IOException {
        try (RtrClient c = client(1)) {
            RtrClient.Sync first = c.reset();
            history.update(snapshot(List.of(B, C)));
            RtrPdu notify = c.read();
            assertThat(notify).isInstanceOf(SerialNotify.class);
            assertThat(((SerialNotify) notify).serial()).isEqualTo(history.current().serial());
            RtrClient.Sync delta = c.since(first.sessionId(), first.endOfData().serial());
            assertThat(delta.payload()).containsExactlyInAnyOrder(
                    new Ipv4PrefixPdu(1, false, 24, 24, 0xC0000200, 64496),
                    new Ipv4PrefixPdu(1, true, 22, 24, 0xC6336400, 64498));
            assertThat(delta.endOfData().serial()).isEqualTo(history.current().serial());
        }
    }

    @Test
    void tooOldSerialOrOtherSessionGetsCacheReset() throws IOException {
        try (RtrClient c = client(2)) {
            int session = history.current().sessionId();
            assertThatThrownBy(() -> c.since(session, history.current().serial() + 100))
                    .isInstanceOfSatisfying(RtrClient.RefusedException.class,
                            e -> assertThat(e.answer()).isInstanceOf(CacheReset.class));
        }
        try (RtrClient c = client(2)) {
            int otherSession = (history.current().sessionId() + 1) & 0xFFFF;
            assertThatThrownBy(() -> c.since(otherSession, history.current().serial()))
                    .isInstanceOfSatisfying(RtrClient.RefusedException.class,
                            e -> assertThat(e.answer()).isInstanceOf(CacheReset.class));
        }
    }

    @Test
    void unsupportedVersionGetsAnErrorReportWithTheHighestVersion() throws IOException {
        try (RtrClient c = client(2)) {
            c.sendRaw(new byte[] {3, 2, 0, 0, 0, 0, 0, 8});
            RtrPdu answer = c.read();
            assertThat(answer).isInstanceOfSatisfying(ErrorReport.class, e -> {
                assertThat(e.version()).isEqualTo(2);
                assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);
            });
            assertClosed(c);
        }
    }

    @Test
    void versionChangeMidSessionIsAnError() throws IOException {
        try (RtrClient c = client(1)) {
            c.reset();
            c.send(new ResetQuery(0));
            assertThat(c.read()).isInstanceOfSatisfying(ErrorReport.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_PROTOCOL_VERSION));
            assertClosed(c);
        }
    }

    @Test
    void malformedPduClosesThatClientOnly() throws IOException {
        try (RtrClient good = client(1); RtrClient bad = client(1)) {
            good.reset();
            bad.sendRaw(new byte[] {1, 2, 0, 0, 0x7f, 0, 0, 0});
            assertThat(bad.read()).isInstanceOfSatisfying(ErrorReport.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_DATA));
            assertClosed(bad);
            bad.close();
            assertThat(good.reset().payload()).isNotEmpty();
        }
    }

    @Test
    void unknownPduTypeIsReported() throws IOException {
        try (RtrClient c = client(1)) {
            c.sendRaw(new byte[] {1, 42, 0, 0, 0, 0, 0, 8});
            assertThat(c.read()).isInstanceOfSatisfying(ErrorReport.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_PDU_TYPE));
        }
    }

    @Test
    void hundredsOfClientsSyncAtOnce() throws Exception {
        int clients = 300;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int version = i % 3;
                results.add(pool.submit(() -> {
                    try (RtrClient c = client(version)) {
                        return c.reset().payload().size();
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertThat(results.get(i).get()).isEqualTo(2 + (i % 3 >= 1 ? 1 : 0) + (i % 3 == 2 ? 1 : 0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertClosed(RtrClient c) {
        assertThatThrownBy(c::read).isInstanceOfAny(EOFException.class, SocketException.class);
    }
}
