package net.rampart.mitigation.policy;

import java.util.List;
import net.rampart.config.FileProblemsException;

/** A policy file (the inventory or the playbooks) that cannot be used. */
public final class PolicyException extends FileProblemsException {

    public PolicyException(List<String> problems) {
        super(problems);
    }
}
