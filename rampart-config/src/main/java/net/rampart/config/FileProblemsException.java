package net.rampart.config;

import java.util.List;

/**
 * An operator file that cannot be used, with every problem found, each naming where it is. Each
 * kind of file has its own subclass, so a caller catches the file it loaded.
 */
public abstract class FileProblemsException extends Exception {

    private final List<String> problems;

    protected FileProblemsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
