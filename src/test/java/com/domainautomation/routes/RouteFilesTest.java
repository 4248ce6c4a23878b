package com.domainautomation.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.fge.jsonschema.core.report.ProcessingMessage;
import com.github.fge.jsonschema.main.JsonSchema;
import com.github.fge.jsonschema.main.JsonSchemaFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every route file parses as Camel YAML DSL and follows the naming rule ({@code <feature>-<trigger>.camel.yaml}; the
 * entry route's id is the file's base name, other routes are {@code <base>-<step>}, a {@code direct:} route's name
 * equals its id), and every route says what it does.
 */
class RouteFilesTest {
    private static final Path ROUTES = Path.of("src/main/resources/routes");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Route(String id, String description, String from) {}

    @Test
    void every_route_file_follows_the_naming_rule() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(ROUTES)) {
            files = list.filter(p -> p.toString().endsWith(".camel.yaml"))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty());
        int routes = 0;
        for (Path file : files) {
            String base = file.getFileName().toString().replace(".camel.yaml", "");
            assertTrue(
                    base.matches("[a-z]+(-[a-z]+)*-(api|queue|cron|shared)") || base.equals("error-handling"),
                    file + ": name must be <feature>-<trigger>.camel.yaml with trigger api, queue, cron or shared");
            assertParsesAsCamelYaml(file);
            for (Route route : routesOf(file)) {
                routes++;
                String where = file.getFileName() + " route " + route.id();
                assertTrue(
                        route.id() != null
                                && (route.id().equals(base) || route.id().startsWith(base + "-")),
                        where + ": id must be " + base + " or " + base + "-<step>");
                assertTrue(route.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), where + ": id must be kebab-case");
                assertTrue(
                        route.description() != null && !route.description().isBlank(), where + ": needs a description");
                if (route.from().startsWith("direct:")) {
                    assertEquals("direct:" + route.id(), route.from(), where + ": a direct route's name equals its id");
                }
            }
        }
        assertTrue(routes >= 19, "all route files were read: " + routes + " routes");
    }

    /**
     * Every route file is valid against the JSON schema of Camel's YAML DSL (shipped in camel-yaml-dsl): a misspelt
     * key, a step in the wrong place or a wrong type fails the build, not the start of the app.
     */
    @Test
    void every_route_file_is_valid_against_the_yaml_dsl_schema() throws Exception {
        JsonNode schemaNode;
        try (InputStream in = YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            assertNotNull(in, "camel-yaml-dsl ships its schema");
            schemaNode = JSON.readTree(in);
        }
        JsonSchema schema = JsonSchemaFactory.byDefault().getJsonSchema(schemaNode);
        List<Path> files;
        try (Stream<Path> list = Files.list(ROUTES)) {
            files = list.filter(p -> p.toString().endsWith(".camel.yaml"))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            Object routes = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            List<String> problems = schemaErrors(schema, JSON.valueToTree(routes));
            assertTrue(problems.isEmpty(), file.getFileName() + " is not valid Camel YAML DSL: " + problems);
        }
        // and the check can fail: a misspelt step key is caught
        Object broken = new Load(LoadSettings.builder().build())
                .loadFromString(
                        "- route:\n    id: x\n    from:\n      uri: direct:x\n      steps:\n        - sethBody: {constant: x}\n");
        assertFalse(schemaErrors(schema, JSON.valueToTree(broken)).isEmpty());
    }

    /**
     * The schema's errors for {@code routes}, but for a property placeholder ({@code "{{key}}"}) where the schema wants
     * a boolean or a number: Camel resolves placeholders in any option, which the schema cannot say.
     */
    private static List<String> schemaErrors(JsonSchema schema, JsonNode routes) throws Exception {
        List<String> errors = new ArrayList<>();
        for (ProcessingMessage message : schema.validate(routes, true)) {
            JsonNode error = message.asJson();
            if (!"error".equals(error.path("level").asText())) {
                continue;
            }
            JsonNode value = routes.at(error.path("instance").path("pointer").asText());
            boolean placeholder = "type".equals(error.path("keyword").asText())
                    && value.isTextual()
                    && value.asText().matches("\\{\\{.+}}");
            if (!placeholder) {
                errors.add(error.path("instance").path("pointer").asText() + ": "
                        + error.path("message").asText());
            }
        }
        return errors;
    }

    private static void assertParsesAsCamelYaml(Path file) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            for (String shared : List.of("queue-shared.camel.yaml", "cron-shared.camel.yaml")) {
                Path templates = ROUTES.resolve(shared);
                if (!file.equals(templates)) { // the app loads them before the files whose routes they make
                    PluginHelper.getRoutesLoader(context)
                            .loadRoutes(ResourceHelper.fromString(shared, Files.readString(templates)));
                }
            }
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Route> routesOf(Path file) throws Exception {
        List<Route> routes = new ArrayList<>();
        Object document = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        for (Object item : (List<Object>) document) {
            Map<String, Object> entry = (Map<String, Object>) item;
            if (entry.get("templatedRoute") instanceof Map<?, ?> templated) {
                // a route made from a template (queue-shared, cron-shared), which describes it
                routes.add(
                        new Route((String) templated.get("routeId"), "from " + templated.get("routeTemplateRef"), ""));
            }
            if (entry.get("routeTemplate") instanceof Map<?, ?> template) {
                Map<String, Object> route = (Map<String, Object>) template.get("route");
                Object from = ((Map<String, Object>) route.get("from")).get("uri");
                routes.add(new Route(
                        file.getFileName().toString().replace(".camel.yaml", "") + "-" + template.get("id"),
                        (String) route.get("description"),
                        "template " + from)); // its routes are named by their instances
            }
            if (entry.get("route") instanceof Map<?, ?> route) {
                Object from = ((Map<String, Object>) route.get("from")).get("uri");
                routes.add(
                        new Route((String) route.get("id"), (String) route.get("description"), String.valueOf(from)));
            }
        }
        return routes;
    }
}
