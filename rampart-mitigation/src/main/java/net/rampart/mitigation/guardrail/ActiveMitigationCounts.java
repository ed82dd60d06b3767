package net.rampart.mitigation.guardrail;

/** How many mitigations are active now; quotas are judged against these counts. */
public interface ActiveMitigationCounts {

    int global();

    int forCustomer(String customerId);

    int forPop(String pop);
}
