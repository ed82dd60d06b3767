package net.rampart.detect.monitor;

import java.util.List;
import net.rampart.config.FileProblemsException;

/** A monitors file that cannot be used. */
public final class MonitorsException extends FileProblemsException {

    public MonitorsException(List<String> problems) {
        super(problems);
    }
}
