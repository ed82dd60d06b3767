package net.rampart.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import net.rampart.config.YamlValidator.DuplicateKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation the schemas are written with: every problem is kept, with its file and path. */
class YamlValidatorTest {

    private final List<String> problems = new ArrayList<>();
    private final YamlValidator yaml = new YamlValidator("things.yaml", problems, DuplicateKeys.REFUSED);

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
        yaml.forEachMappingOrText(root, "items", "", (node, at) -> {
            yaml.checkKeys(node, at, Set.of("name", "size"));
            items.add(yaml.name(node, "name", at));
            yaml.intAtLeast(node, "size", at, 1);
        });
        yaml.forEachText(root, "values", "", (text, at) -> values.add(at + "=" + text));

        assertThat(problems).containsExactly(
                "things.yaml: shape: unknown key (expected one of items, values)",
                "things.yaml: items[1].colour: unknown key (expected one of name, size)",
                "things.yaml: items[1].name: 'bad name' is not a name: letters, digits, '.', '_' and '-', at most 64",
                "things.yaml: items[2]: expected a mapping",
                "things.yaml: items[3].size: expected a whole number of at least 1",
                "things.yaml: values[1]: expected a single value");
        // A bad item does not stop the reading of the items after it.
        assertThat(items).containsExactly("ok", null, "ok2");
        assertThat(values).containsExactly("values[0]=a", "values[2]=b");
        assertThat(yaml.problemCount()).isEqualTo(6);
    }

    @Test
    void forEachHandsOverEveryItemWhileTheMappingListKeepsOnlyMappingsAndText() {
        JsonNode root = yaml.root("items: [{a: 1}, text, 7, [x], null]\n");
        List<String> every = new ArrayList<>();
        List<String> mappingsOrText = new ArrayList<>();
        yaml.forEach(root, "items", "", (item, at) -> every.add(at));
        yaml.forEachMappingOrText(root, "items", "", (item, at) -> mappingsOrText.add(at));

        assertThat(every).containsExactly("items[0]", "items[1]", "items[2]", "items[3]", "items[4]");
        assertThat(mappingsOrText).containsExactly("items[0]", "items[1]");
        assertThat(problems).containsExactly("things.yaml: items[2]: expected a mapping",
                "things.yaml: items[3]: expected a mapping", "things.yaml: items[4]: expected a mapping");
    }

    @Test
    void aMappingIsRequiredWhereCheckKeysLeavesTheShapeToTheSchema() {
        JsonNode root = yaml.root("a: {x: 1, y: 2}\nb: [1]\n");
        yaml.checkKeys(root.get("b"), "b", Set.of("x"));
        assertThat(problems).isEmpty();

        assertThat(yaml.mapping(root.get("a"), "a", Set.of("x"))).isTrue();
        assertThat(yaml.mapping(root.get("b"), "b", Set.of("x"))).isFalse();
        assertThat(problems).containsExactly("things.yaml: a.y: unknown key (expected one of x)",
                "things.yaml: b: expected a mapping");
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
    void aFileThatCannotBeReadIsOneProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("things.yaml");
        assertThat(yaml.read(file)).isNull();
        Files.writeString(file, "a: 1\n");
        assertThat(yaml.read(file)).isEqualTo("a: 1\n");
        assertThat(problems).singleElement().asString().startsWith("things.yaml: cannot read: ");
    }

    @Test
    void aKeyWrittenTwiceIsRefusedOrTheLastWinsAsTheCallerChose() {
        String twice = "a: 1\na: 2\n";
        assertThat(yaml.root(twice)).isNull();
        assertThat(problems).singleElement().asString().startsWith("things.yaml: not valid YAML: Duplicate field 'a'");

        YamlValidator lastWins = new YamlValidator("other.yaml", problems, DuplicateKeys.LAST_WINS);
        assertThat(lastWins.root(twice).get("a").asInt()).isEqualTo(2);
        assertThat(lastWins.hasProblems()).isFalse();
    }

    @Test
    void filesSharingAListCountTheirProblemsApart() {
        YamlValidator other = new YamlValidator("other.yaml", problems, DuplicateKeys.REFUSED);
        other.problem("x", "wrong");
        yaml.problem("", "wrong as a whole");
        yaml.problem("y", "wrong too");
        assertThat(problems).containsExactly("other.yaml: x: wrong", "things.yaml: wrong as a whole",
                "things.yaml: y: wrong too");
        assertThat(other.problemCount()).isEqualTo(1);
        assertThat(yaml.problemCount()).isEqualTo(2);
        assertThat(new YamlValidator("third.yaml", problems, DuplicateKeys.REFUSED).hasProblems()).isFalse();
    }

    @Test
    void asnsInEveryWrittenFormAndUnquotedAsdotRefused() {
        JsonNode root = yaml.root("""
                asns: [AS64500, 64501, as64502, '1.10', 64501, 1.10, AS6x, [1], null]
                """);
        assertThat(yaml.asns(root, "asns", "")).containsExactly(64500, 64501, 64502, 65546);
        assertThat(problems).containsExactly(
                "things.yaml: asns[4]: AS64501 is listed twice",
                "things.yaml: asns[5]: YAML reads 1.1 as a number; write asdot in quotes, e.g. '1.10'",
                "things.yaml: asns[6]: 'AS6x' is not an AS number such as 65000, AS65000 or asdot 1.10",
                "things.yaml: asns[7]: expected an ASN such as 64500 or AS64500",
                "things.yaml: asns[8]: required");
        assertThat(yaml.asns(root, "absent", "")).isEmpty();
    }

    @Test
    void optionalValuesFallBackWhenAbsentAndNameWhatTheyExpected() {
        JsonNode root = yaml.root("""
                text: hello
                list_as_text: [a]
                flag: true
                flag_as_text: "yes"
                count: 3
                too_big: 4294967297
                fraction: 2.5
                match: "^64500 "
                bad_match: "(64500"
                """);
        assertThat(yaml.text(root, "text", "", "none")).isEqualTo("hello");
        assertThat(yaml.text(root, "absent", "", "none")).isEqualTo("none");
        assertThat(yaml.text(root, "list_as_text", "", "none")).isEqualTo("none");
        assertThat(yaml.bool(root, "flag", "", false)).isTrue();
        assertThat(yaml.bool(root, "flag_as_text", "", false)).isFalse();
        assertThat(yaml.bool(root, "absent", "", true)).isTrue();
        assertThat(yaml.intAtLeast(root, "count", "", 1)).hasValue(3);
        assertThat(yaml.intAtLeast(root, "count", "", 4)).isEmpty();
        assertThat(yaml.intAtLeast(root, "absent", "", 1)).isEqualTo(OptionalInt.empty());
        // Past the int range it is refused, not wrapped round to a small number.
        assertThat(yaml.intAtLeast(root, "too_big", "", 1)).isEmpty();
        assertThat(yaml.intAtLeast(root, "fraction", "", 1)).isEmpty();
        assertThat(yaml.regex(root, "match", "").matcher("64500 64501").lookingAt()).isTrue();
        assertThat(yaml.regex(root, "bad_match", "")).isNull();
        assertThat(yaml.regex(root, "absent", "")).isNull();
        assertThat(problems).containsExactly(
                "things.yaml: list_as_text: expected text",
                "things.yaml: flag_as_text: expected true or false",
                "things.yaml: count: expected a whole number of at least 4",
                "things.yaml: too_big: expected a whole number of at least 1",
                "things.yaml: fraction: expected a whole number of at least 1",
                "things.yaml: bad_match: '(64500' is not a regex: Unclosed group");
    }

    @Test
    void namesAreRequiredWhereAKeyHoldsThem() {
        JsonNode root = yaml.root("a: {name: ok}\nb: {}\nc: {name: " + "x".repeat(65) + "}\n");
        assertThat(yaml.name(root.get("a"), "name", "a")).isEqualTo("ok");
        assertThat(yaml.name(root.get("b"), "name", "b")).isNull();
        assertThat(yaml.name(root.get("c"), "name", "c")).isNull();
        assertThat(yaml.name("noc-1.eu_west", "groups.x")).isEqualTo("noc-1.eu_west");
        assertThat(problems).containsExactly("things.yaml: b.name: required",
                "things.yaml: c.name: '" + "x".repeat(65) + "' is not a name: letters, digits, '.', '_' and '-',"
                        + " at most 64");
    }
}
