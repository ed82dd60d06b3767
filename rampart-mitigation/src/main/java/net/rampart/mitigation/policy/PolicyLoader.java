package net.rampart.mitigation.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.rampart.config.YamlValidator;
import net.rampart.config.YamlValidator.DuplicateKeys;

/**
 * Reads the inventory and playbooks YAML files and validates them completely: every problem is
 * reported, each with its place in the file ({@code playbooks[0].steps[1].rate_bps}), so an
 * operator fixes a file in one go. The schemas are {@link InventorySchema} and
 * {@link PlaybookSchema}; {@link YamlValidator} collects the problems.
 */
public final class PolicyLoader {

    private final PlaybookSchema playbookSchema;

    public PolicyLoader(TtlBounds ttlBounds) {
        this.playbookSchema = new PlaybookSchema(ttlBounds);
    }

    /** Loads both files; a missing path (null) stands for an empty inventory or no playbooks. */
    public Policy load(Path inventoryFile, Path playbooksFile) throws PolicyException {
        List<String> problems = new ArrayList<>();
        Inventory inventory = Inventory.empty();
        if (inventoryFile != null) {
            YamlValidator yaml = validator(inventoryFile.getFileName().toString(), problems);
            inventory = InventorySchema.read(yaml, yaml.read(inventoryFile));
        }
        List<Playbook> playbooks = List.of();
        if (playbooksFile != null) {
            YamlValidator yaml = validator(playbooksFile.getFileName().toString(), problems);
            playbooks = playbookSchema.read(yaml, yaml.read(playbooksFile));
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new Policy(inventory, playbooks);
    }

    public Inventory parseInventory(String yaml, String fileName) throws PolicyException {
        List<String> problems = new ArrayList<>();
        Inventory inventory = InventorySchema.read(validator(fileName, problems), yaml);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return inventory;
    }

    public List<Playbook> parsePlaybooks(String yaml, String fileName) throws PolicyException {
        List<String> problems = new ArrayList<>();
        List<Playbook> playbooks = playbookSchema.read(validator(fileName, problems), yaml);
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return playbooks;
    }

    /**
     * A key written twice in a policy file has always meant the last one, and files in use may
     * rely on it; refusing it, as the monitors file does, is a change for operators to be told of.
     */
    private static YamlValidator validator(String fileName, List<String> problems) {
        return new YamlValidator(fileName, problems, DuplicateKeys.LAST_WINS);
    }
}
