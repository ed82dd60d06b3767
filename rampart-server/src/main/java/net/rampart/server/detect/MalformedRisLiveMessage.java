package net.rampart.server.detect;

/** A RIS Live message that is not JSON or misses or garbles a field detection needs; the message says which. */
final class MalformedRisLiveMessage extends Exception {

    MalformedRisLiveMessage(String message) {
        super(message);
    }
}
