package net.rampart.collector.bmp;

/**
 * What the collector does with one router's BMP session. The listener calls it from that
 * connection's event loop only, so messages arrive one at a time and in the order the router
 * sent them.
 */
public interface RouterSession {

    /**
     * One complete BMP message, common header included. A message the session cannot decode is
     * its own to log and skip; it must not throw.
     */
    void onMessage(byte[] message);

    /**
     * Whether the session has shown it speaks BMP: a valid Initiation or Peer Up arrived (RFC
     * 7854 section 4.3 makes the Initiation the first message). A connection that has not
     * within the listener's timeout is closed.
     */
    boolean established();

    /** The connection is gone (Termination, lost TCP session, framing lost or collector stop). */
    void onClose(String reason);
}
