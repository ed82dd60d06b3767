package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.rampart.detect.alert.AlertType;
import org.junit.jupiter.api.Test;

/**
 * Every list of alert types the API describes is the list of {@link AlertType}s, in its order: a
 * new type added to the enum and not to the OpenAPI document fails here.
 */
class AlertTypeListsTest {

    @Test
    void everyAlertTypeEnumOfTheOpenApiDocumentListsEveryType() throws Exception {
        JsonNode doc;
        try (InputStream in = AlertTypeListsTest.class.getResourceAsStream("/openapi/detect.json")) {
            assertThat(in).as("openapi/detect.json on the class path").isNotNull();
            doc = new ObjectMapper().readTree(in);
        }
        List<List<String>> lists = new ArrayList<>();
        collect(doc, lists);
        List<String> names = Arrays.stream(AlertType.values()).map(AlertType::wireName).toList();
        // The type filter of the alert list, the alert's type, and a channel's types.
        assertThat(lists).hasSize(3).allSatisfy(list -> assertThat(list).containsExactlyElementsOf(names));
        assertThat(names).contains("churn_anomaly");
    }

    /** The enums that hold {@code origin_hijack}: the lists of alert types. */
    private static void collect(JsonNode node, List<List<String>> lists) {
        if (node.isObject()) {
            JsonNode values = node.path("enum");
            if (values.isArray()) {
                List<String> list = new ArrayList<>();
                values.forEach(v -> list.add(v.asText()));
                if (list.contains("origin_hijack")) {
                    lists.add(list);
                }
            }
        }
        // An object's values, an array's elements.
        node.forEach(child -> collect(child, lists));
    }
}
