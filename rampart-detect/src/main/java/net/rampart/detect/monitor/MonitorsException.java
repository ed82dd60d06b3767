package net.rampart.detect.monitor;

import java.util.List;

/** A monitors file that cannot be used, with every problem found, each naming where it is. */
public final class MonitorsException extends Exception {

    private final List<String> problems;

    public MonitorsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
