package net.rampart.mitigation.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The validation the schemas are written with: every problem is kept, with its file and path. */
class YamlValidatorTest {

    private final List<String> problems = new ArrayList<>();
    private final YamlValidator yaml = new YamlValidator("things.yaml", problems);

    @Test
    void everyProblemIsCollectedWithItsFileAndPath() {
        JsonNode root = yaml.root("""
                items:
                  - {name: ok, size: 3}
                  - {name: "bad name", colour: red}
                  - 7
                  - {name: ok2, size: 0}
                values: [a, {b: c}, b]
                shape: round
                """);
        List<String> items = new ArrayList<>();
        List<String> values = new ArrayList<>();
        yaml.checkKeys(root, "", Set.of("items", "values"));
        yaml.forEach(root, "items", "", (node, at) -> {
            yaml.checkKeys(node, at, Set.of("name", "size"));
            items.add(yaml.name(node, "name", at));
            yaml.optionalPositiveInt(node, "size", at);
        });
        yaml.forEachText(root, "values", "", (text, at) -> values.add(at + "=" + text));

        assertThat(problems).containsExactly(
                "things.yaml: shape: unknown key (expected one of items, values)",
                "things.yaml: items[1].colour: unknown key (expected one of name, size)",
                "things.yaml: items[1].name: 'bad name' may use only letters, digits, '.', '_' and '-'",
                "things.yaml: items[2]: expected a mapping",
                "things.yaml: items[3].size: expected a positive integer",
                "things.yaml: values[1]: expected a single value");
        // A bad item does not stop the reading of the items after it.
        assertThat(items).containsExactly("ok", null, "ok2");
        assertThat(values).containsExactly("values[0]=a", "values[2]=b");
        assertThat(yaml.problemCount()).isEqualTo(6);
    }

    @Test
    void pathsNestUnderTheirParent() {
        JsonNode root = yaml.root("outer: {inner: [1], list: 3}\n");
        yaml.forEachText(root.get("outer"), "list", "outer", (text, at) -> { });
        assertThat(yaml.duration("soon", YamlValidator.path("outer", "ttl"))).isNull();
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).isEqualTo("things.yaml: outer.list: expected a list");
        assertThat(problems.get(1)).startsWith("things.yaml: outer.ttl: 'soon' is not a duration");
    }

    @Test
    void aFileThatIsNoMappingIsOneProblemAboutTheWholeFile() {
        assertThat(yaml.root("")).isNull();
        assertThat(yaml.root("- a\n- b\n")).isNull();
        assertThat(yaml.root("a: [1\n")).isNull();
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).isEqualTo("things.yaml: the file is empty");
        assertThat(problems.get(1)).isEqualTo("things.yaml: expected a mapping at the top level");
        assertThat(problems.get(2)).startsWith("things.yaml: not valid YAML");
        // A file that could not be read (null text) was reported then; it is not reported twice.
        assertThat(yaml.root(null)).isNull();
        assertThat(problems).hasSize(3);
    }

    @Test
    void filesSharingAListCountTheirProblemsApart() {
        YamlValidator other = new YamlValidator("other.yaml", problems);
        other.problem("x", "wrong");
        yaml.problem("", "wrong as a whole");
        yaml.problem("y", "wrong too");
        assertThat(problems).containsExactly("other.yaml: x: wrong", "things.yaml: wrong as a whole",
                "things.yaml: y: wrong too");
        assertThat(other.problemCount()).isEqualTo(1);
        assertThat(yaml.problemCount()).isEqualTo(2);
    }
}
