package net.rampart.collector.bmp;

import java.util.Arrays;

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
     * One complete BMP message in {@code buffer} from {@code offset}: the caller's bytes, valid
     * during the call only, so a session that keeps any of them copies them. This way the
     * listener need not copy each message out of its receive buffer for a session that reads it
     * there; by default the message is copied and given to {@link #onMessage(byte[])}.
     */
    default void onMessage(byte[] buffer, int offset, int length) {
        onMessage(Arrays.copyOfRange(buffer, offset, offset + length));
    }

    /**
     * Whether the session has shown it speaks BMP: a valid Initiation or Peer Up arrived (RFC
     * 7854 section 4.3 makes the Initiation the first message). A connection that has not
     * within the listener's timeout is closed.
     */
    boolean established();

    /** The connection is gone (Termination, lost TCP session, framing lost or collector stop). */
    void onClose(String reason);
}
