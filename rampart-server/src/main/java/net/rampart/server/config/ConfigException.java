package net.rampart.server.config;

/** A setting has a value the service cannot run with. The message names the setting and the problem. */
public final class ConfigException extends Exception {

    private final String setting;

    public ConfigException(String setting, String problem) {
        super(setting + ": " + problem);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
