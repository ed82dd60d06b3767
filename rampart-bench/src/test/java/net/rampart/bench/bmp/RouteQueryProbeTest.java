package net.rampart.bench.bmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import org.junit.jupiter.api.Test;

class RouteQueryProbeTest {

    @Test
    void queriesAlternateBetweenTheFamiliesAndSpreadOverEachOfThem() {
        List<RouteUpdate> table = BmpFeed.fullTableUpdates(1000, 200, true);
        Set<String> announced = table.stream().flatMap(u -> u.announced().stream()).map(RouteKey::text)
                .collect(Collectors.toSet());

        List<String> prefixes = RouteQueryProbe.interleaved(table, 100);

        assertThat(prefixes).hasSize(100);
        assertThat(announced).containsAll(prefixes);
        for (int i = 0; i < prefixes.size(); i++) {
            assertThat(prefixes.get(i).contains(":")).as("query %d is IPv6", i).isEqualTo(i % 2 == 1);
        }
        assertThat(Set.copyOf(prefixes)).as("50 different prefixes of each family").hasSize(100);
    }

    @Test
    void aFeedOfOneFamilyIsQueriedInThatFamilyOnly() {
        List<String> prefixes = RouteQueryProbe.interleaved(BmpFeed.fullTableUpdates(300, 0, false), 10);

        assertThat(prefixes).hasSize(10).noneMatch(p -> p.contains(":"));
    }

    @Test
    void aFeedWithoutPrefixesIsRefused() {
        assertThatThrownBy(() -> RouteQueryProbe.interleaved(List.of(), 10))
                .hasMessageContaining("announces no prefix");
    }
}
