package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code rampart status}: is the service ready, and which of its parts are up. Exit 0 when ready. */
@Command(name = "status", description = "Show whether the service is ready and which parts are up.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    RampartCli cli;

    @Override
    public Integer call() throws InterruptedException {
        var request = HttpRequest.newBuilder(cli.baseUrl().resolve("/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(response.body());
            System.out.println(body.path("status").asText("unknown"));
            body.path("checks").fields().forEachRemaining(check ->
                    System.out.printf("  %-10s %s%n", check.getKey(), check.getValue().asText()));
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            System.err.println("rampart: cannot reach " + cli.baseUrl() + " (" + e.getMessage() + ")");
            return 3;
        }
    }
}
