package net.rampart.server.security;

/** Who made a request: the token's id, name and scope. */
public record Principal(String tokenId, String name, Scope scope) {

    /** How changes made with this token are attributed in the audit log. */
    public String actor() {
        return "token:" + name + "(" + tokenId + ")";
    }
}
