package net.rampart.server.config;

/** A setting has a value the service cannot run with. The message names the setting and the problem. */
public final class ConfigException extends Exception {

    private final String setting;

    public ConfigException(String setting, String problem) {
        // The service reports a bad setting in one line; a problem quoted from a parser can span
        // several (a YAML error shows the offending line with a caret under it).
        super(setting + ": " + String.valueOf(problem).strip().replaceAll("\\s*\\R\\s*", " "));
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
