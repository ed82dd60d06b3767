package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.rampart.detect.route.RouteObservation;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

/**
 * RIS Live messages recorded from the real feed by other projects, each handed to the decoder as
 * one WebSocket text message, and hand-made broken ones.
 */
class RisLiveMessagesTest {

    private final RisLiveMessages messages = new RisLiveMessages(new ObjectMapper());

    static List<String> recorded(String name) throws Exception {
        Path dir = Path.of(System.getProperty("rampart.testdata", "../../shared/testdata"), "rislive");
        assumeTrue(Files.isDirectory(dir), "shared testdata not found at " + dir + "; RIS Live conformance skipped");
        return Files.readAllLines(dir.resolve(name)).stream().filter(line -> !line.isBlank()).toList();
    }

    private List<RisLiveFrame> decodeAll(String file) throws Exception {
        List<RisLiveFrame> frames = new ArrayList<>();
        for (String line : recorded(file)) {
            frames.add(messages.decode(line));
        }
        return frames;
    }

    private static List<RouteObservation> routes(List<RisLiveFrame> frames) {
        return frames.stream().filter(f -> f instanceof RisLiveFrame.Routes)
                .flatMap(f -> ((RisLiveFrame.Routes) f).routes().stream()).toList();
    }

    /** Counts taken from the same files with a JSON tool: distinct prefixes per message announced, and withdrawn. */
    @Test
    void aRealBurstOfAThousandMessagesDecodesWhole() throws Exception {
        List<RisLiveFrame> frames = decodeAll("morrowc-rislive-1k.jsonl");

        assertThat(frames).hasSize(1000);
        assertThat(frames).filteredOn(f -> f instanceof RisLiveFrame.Routes).hasSize(994);
        assertThat(frames).filteredOn(f -> f.equals(new RisLiveFrame.Other("KEEPALIVE"))).hasSize(6);
        List<RouteObservation> routes = routes(frames);
        assertThat(routes).filteredOn(r -> !r.withdrawn()).hasSize(787);
        assertThat(routes).filteredOn(RouteObservation::withdrawn).hasSize(2394);
        assertThat(routes).extracting(RouteObservation::vantagePoint).allMatch(id -> id.matches("rrc\\d\\d/[^/]+/ris"));
        // 66 peers in all, 60 of them sent UPDATEs; the others only KEEPALIVEs.
        assertThat(routes.stream().map(RouteObservation::vantagePoint).distinct()).hasSize(60);
    }

    @Test
    void anUpdateBecomesOneObservationPerPrefixOfItsPeer() throws Exception {
        RouteObservation first = routes(decodeAll("morrowc-rislive-1k.jsonl").subList(0, 1)).get(0);

        assertThat(first.vantagePoint()).isEqualTo("rrc19/196.60.9.165/ris");
        assertThat(first.prefix()).isEqualTo(IpPrefix.parse("196.50.70.0/24"));
        assertThat(first.asPath()).containsExactly(57695, 37650);
        assertThat(first.origin()).isEqualTo(37650);
        assertThat(first.originIsAsSet()).isFalse();
        assertThat(first.withdrawn()).isFalse();
        assertThat(first.timeMillis()).isEqualTo(1558620047080L);
    }

    @Test
    void aPathEndingInAnAsSetIsFlattenedAndItsOriginMarked() throws Exception {
        List<RouteObservation> routes = routes(decodeAll("morrowc-rislive-as-set.jsonl"));

        // Two next hops (global and link-local) for the same prefix: one route.
        assertThat(routes).hasSize(1);
        RouteObservation route = routes.get(0);
        assertThat(route.vantagePoint()).isEqualTo("rrc11/2001:504:1::a500:2497:1/ris");
        assertThat(route.prefix()).isEqualTo(IpPrefix.parse("2607:ffc0:1000::/36"));
        assertThat(route.asPath()).containsExactly(2497, 6453, 18705, 26281, 13340);
        assertThat(route.originIsAsSet()).isTrue();
    }

    @Test
    void aPeerGoingDownAndOtherBgpMessagesAreTold() throws Exception {
        List<RisLiveFrame> frames = decodeAll("libbgpstream-ris-live.jsonl");

        assertThat(frames.get(0)).isInstanceOf(RisLiveFrame.Routes.class);
        assertThat(frames.get(1)).isEqualTo(new RisLiveFrame.PeerDown(1553625081880L, "rrc01/195.66.224.59/ris"));
        assertThat(frames.subList(2, 5)).containsExactly(new RisLiveFrame.Other("OPEN"),
                new RisLiveFrame.Other("NOTIFICATION"), new RisLiveFrame.Other("KEEPALIVE"));
    }

    @Test
    void aCollectorNamedWithItsDomainIsTheSameVantagePointAndAnExpandedPrefixIsRead() throws Exception {
        List<RouteObservation> routes = routes(decodeAll("bgpkit-parser-ris-live.jsonl"));

        RouteObservation withdrawal = routes.stream().filter(RouteObservation::withdrawn).findFirst().orElseThrow();
        assertThat(withdrawal.vantagePoint()).startsWith("rrc25/").endsWith("/ris");
        assertThat(withdrawal.prefix()).isEqualTo(IpPrefix.parse("2605:de00:bb::/48"));
        assertThat(routes).filteredOn(r -> !r.withdrawn()).hasSize(7);
    }

    @Test
    void controlMessagesOfTheServer() throws Exception {
        assertThat(messages.decode("{\"type\":\"pong\",\"data\":null}")).isEqualTo(new RisLiveFrame.Pong());
        assertThat(messages.decode("{\"type\":\"ris_error\",\"data\":{\"message\":\"Unknown filter 'x'\"}}"))
                .isEqualTo(new RisLiveFrame.ServerError("Unknown filter 'x'"));
        assertThat(messages.decode("{\"type\":\"ris_subscribe_ok\",\"data\":{\"subscription\":{}},\"extra\":1}"))
                .isEqualTo(new RisLiveFrame.Other("ris_subscribe_ok"));
    }

    @Test
    void aMalformedMessageIsRefusedNamingWhatIsWrong() {
        String update = "{\"type\":\"ris_message\",\"data\":{\"timestamp\":1.5,\"peer\":\"192.0.2.1\","
                + "\"host\":\"rrc00\",\"type\":\"UPDATE\",\"path\":%s,\"announcements\":"
                + "[{\"next_hop\":\"192.0.2.1\",\"prefixes\":[\"%s\"]}]}}";

        assertThatThrownBy(() -> messages.decode("{\"type\":")).isInstanceOf(MalformedRisLiveMessage.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> messages.decode(update.formatted("[64500]", "192.0.2.1/24")))
                .isInstanceOf(MalformedRisLiveMessage.class).hasMessageContaining("announcements[].prefixes");
        assertThatThrownBy(() -> messages.decode(update.formatted("[\"AS64500\"]", "192.0.2.0/24")))
                .isInstanceOf(MalformedRisLiveMessage.class).hasMessageContaining("not an ASN");
        assertThatThrownBy(() -> messages.decode(update.formatted("[4294967296]", "192.0.2.0/24")))
                .isInstanceOf(MalformedRisLiveMessage.class).hasMessageContaining("not an ASN");
        assertThatThrownBy(() -> messages.decode(update.formatted("[64500]", "192.0.2.0/24")
                .replace("\"peer\":\"192.0.2.1\",", ""))).isInstanceOf(MalformedRisLiveMessage.class)
                .hasMessage("data.peer is missing or not text");
        assertThatThrownBy(() -> messages.decode(update.formatted("[64500]", "192.0.2.0/24")
                .replace("1.5", "\"soon\""))).isInstanceOf(MalformedRisLiveMessage.class)
                .hasMessageContaining("timestamp");
    }

    @Test
    void anEmptyPathIsARouteThePeerOriginates() throws Exception {
        RisLiveFrame frame = messages.decode("{\"type\":\"ris_message\",\"data\":{\"timestamp\":2,\"peer\":\"192.0.2.1\","
                + "\"host\":\"rrc00\",\"type\":\"UPDATE\",\"path\":[],\"announcements\":"
                + "[{\"next_hop\":\"192.0.2.1\",\"prefixes\":[\"192.0.2.0/24\"]}]}}");

        RouteObservation route = ((RisLiveFrame.Routes) frame).routes().get(0);
        assertThat(route.asPath()).isEmpty();
        assertThat(route.origin()).isEqualTo(-1);
        assertThat(route.timeMillis()).isEqualTo(2000);
    }
}
