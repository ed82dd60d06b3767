#!/usr/bin/env python3
"""Where the BMP intake threads spend their CPU samples and allocated bytes, by stage.

Reads the text of `jfr print --stack-depth 64` for jdk.ExecutionSample (cpu) or
jdk.ObjectAllocationSample (alloc) events, keeps the collector's router threads
(bmp-router-*) and leaves out the withdrawals of a closing session (a run's end, not intake).
Each sample goes to the stage of its innermost frame that names one (see STAGES), weighted by
its allocation weight for alloc; then the top frames and, for alloc, the allocated classes.

    jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr > cpu.txt
    python3 scripts/jfr-stages.py cpu cpu.txt
"""
import collections
import re
import sys

# First match wins, so the more specific names come first.
STAGES = [
    ('socket read (Netty)', ['io.netty.channel.nio', 'sun.nio.ch']),
    ('framing (RouterConnection, BmpFrameDecoder)',
     ['BmpFrameDecoder.', 'RouterConnection.channelRead', 'RouterConnection.deliver']),
    ('route events to route history', ['net.rampart.collector.history.']),
    ('route events to the listener', ['RouteEvent', 'onRouteEvents']),
    ('decoding state per message (PeerCapabilities)', ['PeerCapabilities', 'BmpSession.forRouteMonitoring']),
    ('RPKI state (origin validation)', ['RoaIndex', 'OriginValidator', 'originState']),
    ('RIB apply (tables, attribute interning)', ['net.rampart.collector.rib.']),
    ('BGP UPDATE decoding (rampart-wire)', ['net.rampart.wire.bgp.']),
    ('UPDATE to RIB updates (UpdateRoutes)', ['UpdateRoutes']),
    ('BMP decoding (rampart-wire)', ['net.rampart.wire.bmp.', 'net.rampart.wire.WireCursor']),
    ('router inventory and counters', ['RouterInventory', 'RouterCounters']),
    ('MonitoredRouter, other', ['MonitoredRouter']),
]
UNITS = {'bytes': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}


def main(mode, path):
    by_stage = collections.Counter()
    by_frame = collections.Counter()
    by_class = collections.Counter()
    total = 0.0
    for event in open(path).read().split('\njdk.'):
        thread = re.search(r'(?:sampledThread|eventThread) = "([^"]*)"', event)
        if not thread or not thread.group(1).startswith('bmp-router'):
            continue
        frames = [f.strip() for f in re.findall(r'^\s{4}(\S.*?)\(', event, re.M)]
        if not frames or any('closeSession' in f for f in frames):
            continue
        weight = 1.0
        allocated = None
        if mode == 'alloc':
            w = re.search(r'weight = ([\d.]+) (\w+)', event)
            weight = float(w.group(1)) * UNITS[w.group(2)]
            allocated = re.search(r'objectClass = (\S+)', event).group(1)
        total += weight
        by_frame[frames[0]] += weight
        stage = 'other (JDK, GC)'
        if allocated is not None and allocated.endswith('rib.RouteEvent'):
            stage = 'route events to the listener'
        else:
            for f in frames:
                hit = next((name for name, keys in STAGES if any(k in f for k in keys)), None)
                if hit:
                    stage = hit
                    break
        by_stage[stage] += weight
        if allocated is not None:
            by_class[allocated + ' <- ' + frames[0]] += weight
    print('%s samples of bmp-router threads: %.0f' % (mode, total))
    for title, counts, n in (('by stage', by_stage, 20), ('top frames', by_frame, 20),
                             ('allocated class <- top frame', by_class, 25)):
        if counts:
            print('== ' + title)
            for k, v in counts.most_common(n):
                print('%5.1f%%  %s' % (100 * v / total, k))


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] not in ('cpu', 'alloc'):
        sys.exit('usage: jfr-stages.py cpu|alloc FILE')
    main(sys.argv[1], sys.argv[2])
