package net.rampart.detect.monitor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.rampart.config.YamlValidator;
import net.rampart.config.YamlValidator.DuplicateKeys;

/**
 * Reads the monitors file and validates it completely: every problem is reported at once, each
 * with the file and the path of the setting ({@code prefixes[2].origins[0]}), so an operator
 * fixes the file in one go. The schema is {@link MonitorsSchema}.
 */
public final class MonitorsLoader {

    public Monitors load(Path file) throws MonitorsException {
        List<String> problems = new ArrayList<>();
        YamlValidator yaml = validator(file.getFileName().toString(), problems);
        return monitors(yaml, yaml.read(file), problems);
    }

    /** @param fileName starts each problem, so that a reload error names the file */
    public Monitors parse(String yaml, String fileName) throws MonitorsException {
        List<String> problems = new ArrayList<>();
        return monitors(validator(fileName, problems), yaml, problems);
    }

    /** A key written twice is refused: YAML itself would let the last one win and hide the mistake. */
    private static YamlValidator validator(String fileName, List<String> problems) {
        return new YamlValidator(fileName, problems, DuplicateKeys.REFUSED);
    }

    /** @param text null when the file could not be read, which {@code yaml} has reported */
    private static Monitors monitors(YamlValidator yaml, String text, List<String> problems)
            throws MonitorsException {
        Monitors monitors = MonitorsSchema.read(yaml, text);
        if (monitors == null) {
            throw new MonitorsException(problems);
        }
        return monitors;
    }
}
