package net.rampart.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs over defaults; an unknown name stops the tool. */
public final class Args {

    private Args() {
    }

    /** An option a tool cannot run with; the message names it. Tools print it without a stack trace. */
    public static final class BadOption extends IllegalArgumentException {

        public BadOption(String message) {
            super(message);
        }
    }

    public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            if (!defaults.containsKey(args[i]) || i + 1 >= args.length) {
                throw new BadOption("unknown option or missing value: " + args[i]
                        + " (options: " + defaults.keySet() + ")");
            }
            values.put(args[i], args[i + 1]);
        }
        return values;
    }

    /** The option's value as a whole number of at least {@code min}; otherwise an error naming the option. */
    public static int integer(Map<String, String> values, String name, int min) {
        String text = values.get(name);
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new BadOption(name + ": '" + text + "' is not a whole number of at least " + min);
    }
}
