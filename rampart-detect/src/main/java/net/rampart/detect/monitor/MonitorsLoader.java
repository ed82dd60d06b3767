package net.rampart.detect.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the monitors file and validates it completely: every problem is reported at once, each
 * with the file and the path of the setting ({@code prefixes[2].origins[0]}), so an operator
 * fixes the file in one go. The schema is {@link MonitorsSchema}.
 */
public final class MonitorsLoader {

    public Monitors load(Path file) throws MonitorsException {
        String name = file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MonitorsException(List.of(name + ": cannot read: " + e.getMessage()));
        }
        return parse(text, name);
    }

    /** @param fileName starts each problem, so that a reload error names the file */
    public Monitors parse(String yaml, String fileName) throws MonitorsException {
        List<String> problems = new ArrayList<>();
        Monitors monitors = MonitorsSchema.read(new YamlProblems(fileName, problems), yaml);
        if (monitors == null) {
            throw new MonitorsException(problems);
        }
        return monitors;
    }
}
