package net.rampart.wire.rtr;

/** Reset Query (type 2): the router asks for the cache's whole data set. */
public record ResetQuery(int version) implements RtrPdu {

    public ResetQuery {
        RtrPdu.checkVersion(version);
    }

    @Override
    public PduType type() {
        return PduType.RESET_QUERY;
    }
}
