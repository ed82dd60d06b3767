package net.rampart.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs over defaults; an unknown name stops the tool. */
public final class Args {

    private Args() {
    }

    public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            if (!defaults.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]
                        + " (options: " + defaults.keySet() + ")");
            }
            values.put(args[i], args[i + 1]);
        }
        return values;
    }
}
