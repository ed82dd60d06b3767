package net.rampart.detect.monitor;

import java.util.List;

/** Who hears of a group's alerts: the names of channels defined under {@code channels}. */
public record Group(String name, List<String> channels) {

    public Group {
        channels = List.copyOf(channels);
    }
}
