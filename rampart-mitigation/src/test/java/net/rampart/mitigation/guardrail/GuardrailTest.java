package net.rampart.mitigation.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.rampart.mitigation.MutableClock;
import net.rampart.mitigation.policy.Customer;
import net.rampart.mitigation.policy.PolicyProfile;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.mitigation.policy.TtlBounds;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class GuardrailTest {

    private static final Customer CUSTOMER = new Customer("c1", "C1", PolicyProfile.NORMAL,
            List.of(IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("2001:db8::/32")), OptionalInt.of(3));

    /** A rule on {@code dst}: a victim's address, as the engine makes, or a wider prefix. */
    private static RuleProposal proposal(String dst, Duration ttl, List<Integer> ports, boolean isNew) {
        IpPrefix d = dst.contains("/") ? IpPrefix.parse(dst) : IpPrefix.host(AddressText.parse(dst));
        FlowSpecRule rule = new FlowSpecRule(new FlowMatch(d, OptionalInt.of(17), ports, false),
                new FlowAction.Discard());
        return new RuleProposal(rule, ttl, d.inetAddress(), Optional.of(CUSTOMER), "ams1", isNew);
    }

    private static RuleProposal proposal(String dst) {
        return proposal(dst, Duration.ofMinutes(10), List.of(), true);
    }

    private record Counts(int global, int customer, int pop) implements ActiveMitigationCounts {
        @Override
        public int forCustomer(String customerId) {
            return customer;
        }

        @Override
        public int forPop(String pop) {
            return this.pop;
        }
    }

    @Test
    void ttlMustBePresentAndWithinBounds() {
        TtlGuardrail g = new TtlGuardrail(new TtlBounds(Duration.ofMinutes(1), Duration.ofHours(1)));
        assertThat(g.refuse(proposal("192.0.2.1", Duration.ofMinutes(10), List.of(), true))).isEmpty();
        assertThat(g.refuse(proposal("192.0.2.1", null, List.of(), true))).hasValue("a TTL is required");
        assertThat(g.refuse(proposal("192.0.2.1", Duration.ofHours(2), List.of(), true)))
                .hasValue("TTL 2h is outside 1m to 1h");
        assertThat(g.refuse(proposal("192.0.2.1", Duration.ofSeconds(5), List.of(), true))).isPresent();
    }

    @Test
    void prefixLengthLimitsPerFamily() {
        PrefixLengthGuardrail g = new PrefixLengthGuardrail(24, 64);
        assertThat(g.refuse(proposal("192.0.2.0/24"))).isEmpty();
        assertThat(g.refuse(proposal("192.0.0.0/23"))).hasValue("destination 192.0.0.0/23 is wider than /24");
        assertThat(g.refuse(proposal("2001:db8::/64"))).isEmpty();
        assertThat(g.refuse(proposal("2001:db8::/48"))).isPresent();
    }

    @Test
    void victimMustBeInsideTheCustomersPrefixes() {
        CustomerOwnershipGuardrail g = new CustomerOwnershipGuardrail();
        assertThat(g.refuse(proposal("192.0.2.9"))).isEmpty();
        assertThat(g.refuse(proposal("2001:db8:1::9"))).isEmpty();
        assertThat(g.refuse(proposal("192.0.0.0/16"))).isPresent();
        RuleProposal stranger = new RuleProposal(proposal("198.51.100.1").rule(), Duration.ofMinutes(1),
                AddressText.parse("198.51.100.1"), Optional.empty(), "ams1", true);
        assertThat(g.refuse(stranger)).hasValue("198.51.100.1 is not inside any customer's prefixes");
    }

    @Test
    void safelistCoversIpv4AndIpv6InBothDirections() {
        SafelistGuardrail g = new SafelistGuardrail(() -> List.of(
                new SafelistEntry(IpPrefix.parse("192.0.2.53/32"), "resolver", "file"),
                new SafelistEntry(IpPrefix.parse("2001:db8:53::/48"), "", "token:ops")));
        assertThat(g.refuse(proposal("192.0.2.53"))).hasValue("192.0.2.53/32 overlaps safelisted 192.0.2.53/32 (resolver)");
        assertThat(g.refuse(proposal("192.0.2.0/24"))).as("a wider rule would cover the safelisted host").isPresent();
        assertThat(g.refuse(proposal("192.0.2.54"))).isEmpty();
        assertThat(g.refuse(proposal("2001:db8:53::1"))).isPresent();
        assertThat(g.refuse(proposal("2001:db8:54::1"))).isEmpty();
    }

    @Test
    void portCount() {
        PortCountGuardrail g = new PortCountGuardrail(2);
        assertThat(g.refuse(proposal("192.0.2.1", Duration.ofMinutes(5), List.of(1, 2), true))).isEmpty();
        assertThat(g.refuse(proposal("192.0.2.1", Duration.ofMinutes(5), List.of(1, 2, 3), true)))
                .hasValue("3 destination ports, at most 2");
    }

    @Test
    void quotasUseTheCustomersOwnLimitAndIgnoreChangesToActiveRules() {
        CustomerQuotaGuardrail customer = new CustomerQuotaGuardrail(new Counts(0, 3, 0), 100);
        assertThat(customer.refuse(proposal("192.0.2.1"))).as("customer's own quota is 3").isPresent();
        assertThat(customer.refuse(proposal("192.0.2.1", Duration.ofMinutes(5), List.of(), false))).isEmpty();
        PopQuotaGuardrail pop = new PopQuotaGuardrail(new Counts(0, 0, 5), name -> name.equals("ams1") ? 5 : 50);
        assertThat(pop.refuse(proposal("192.0.2.1"))).isPresent();
        assertThat(new PopQuotaGuardrail(new Counts(0, 0, 4), n -> 5).refuse(proposal("192.0.2.1"))).isEmpty();
        assertThat(new GlobalQuotaGuardrail(new Counts(10, 0, 0), 10).refuse(proposal("192.0.2.1"))).isPresent();
        assertThat(new GlobalQuotaGuardrail(new Counts(9, 0, 0), 10).refuse(proposal("192.0.2.1"))).isEmpty();
    }

    @Test
    void newRuleRateIsASlidingMinute() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T08:00:00Z"));
        NewRuleRateGuardrail g = new NewRuleRateGuardrail(clock, 2);
        RuleProposal p = proposal("192.0.2.1");
        g.accepted(p);
        clock.advance(Duration.ofSeconds(30));
        g.accepted(p);
        assertThat(g.refuse(p)).isPresent();
        clock.advance(Duration.ofSeconds(31));
        assertThat(g.refuse(p)).as("the first rule left the window").isEmpty();
    }

    @Test
    void peerAnnouncementsCountTheBusiestSession() {
        assertThat(new PeerAnnouncementGuardrail(new Counts(0, 0, 1), () -> 10, 10).refuse(proposal("192.0.2.1")))
                .isPresent();
        assertThat(new PeerAnnouncementGuardrail(new Counts(0, 0, 10), () -> 0, 10).refuse(proposal("192.0.2.1")))
                .isPresent();
        assertThat(new PeerAnnouncementGuardrail(new Counts(0, 0, 9), () -> 9, 10).refuse(proposal("192.0.2.1")))
                .isEmpty();
    }
}
