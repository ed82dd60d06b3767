package net.rampart.mitigation.policy;

import java.util.List;

/** A policy file that cannot be used, with every problem found, each naming where it is. */
public final class PolicyException extends Exception {

    private final List<String> problems;

    public PolicyException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
