package net.rampart.mitigation.policy;

/** The actions a playbook step may take, as written in the playbooks file. */
public enum StepAction {
    POLICE,
    DISCARD,
    REDIRECT,
    MARK
}
