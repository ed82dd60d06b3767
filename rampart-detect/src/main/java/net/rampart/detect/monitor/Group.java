package net.rampart.detect.monitor;

import java.util.List;

/** Who hears of a group's alerts: channel names, resolved to channels in a later slice. */
public record Group(String name, List<String> channels) {

    public Group {
        channels = List.copyOf(channels);
    }
}
