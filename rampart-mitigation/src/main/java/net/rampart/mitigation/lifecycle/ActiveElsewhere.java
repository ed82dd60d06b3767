package net.rampart.mitigation.lifecycle;

import java.util.Map;

/**
 * Active mitigations of the other POPs sharing the database, for the quotas that span POPs.
 *
 * @param byCustomer counts of the mitigations that belong to a customer, by customer id
 */
public record ActiveElsewhere(int total, Map<String, Integer> byCustomer) {

    public static final ActiveElsewhere NONE = new ActiveElsewhere(0, Map.of());

    public ActiveElsewhere {
        byCustomer = Map.copyOf(byCustomer);
    }
}
