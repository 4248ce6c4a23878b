package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import com.domainautomation.testing.AppTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * ROUTES_DIR: an integrator copies one route out of the jar, changes a step, and the app runs the changed route; a
 * change on disk while it runs takes effect; a broken file leaves the running route as it was.
 */
class ExternalRoutesIT extends AppTestSupport {
    private Path routesDir;

    @Override
    protected void customize(Map<String, String> settings) {
        try {
            routesDir = Files.createTempDirectory("routes-dir");
            // what the README tells an integrator: the route's block, copied out of the jar's file, one step changed
            Files.writeString(routesDir.resolve("my-email.camel.yaml"), emailRoute("[Panel] "));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        settings.put("routes.dir", routesDir.toString());
    }

    /** The jar's route {@code email-queue-job}, with {@code prefix} put in front of every subject. */
    static String emailRoute(String prefix) throws IOException {
        String jarFile;
        try (InputStream in = ExternalRoutesIT.class.getResourceAsStream("/routes/email-queue.camel.yaml")) {
            jarFile = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int start = jarFile.indexOf("- route:\n    id: email-queue-job");
        String route = jarFile.substring(start);
        String subject = "{name: Subject, simple: \"${exchangeProperty.email.subject}\"}";
        assertEquals(true, route.contains(subject), "the step to change is in the jar's route");
        return route.replace(subject, "{name: Subject, simple: \"" + prefix + "${exchangeProperty.email.subject}\"}");
    }

    private String sendEmailAndReadSubject(Client client, String domain) throws Exception {
        return registeredEmail(client, domain).getSubject();
    }

    /** The refusals ExternalRoutes logs (its ERROR lines). */
    private final ListAppender<ILoggingEvent> refusals = new ListAppender<>();

    @BeforeEach
    void listenForRefusals() {
        Logger logger = (Logger) LoggerFactory.getLogger("com.domainautomation.config.ExternalRoutes");
        refusals.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return event.getLevel() == Level.ERROR && event.getMessage().startsWith("Route file {} refused")
                        ? FilterReply.ACCEPT
                        : FilterReply.DENY;
            }
        });
        refusals.start();
        logger.addAppender(refusals);
    }

    /** The files refused so far, by name. */
    private List<String> refused() {
        List<ILoggingEvent> events;
        synchronized (refusals) { // the appender appends under its own lock
            events = List.copyOf(refusals.list);
        }
        return events.stream()
                .map(e -> Path.of(e.getArgumentArray()[0].toString())
                        .getFileName()
                        .toString())
                .distinct()
                .sorted()
                .toList();
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger("com.domainautomation.config.ExternalRoutes")).detachAppender(refusals);
    }

    @Test
    void a_route_from_the_folder_replaces_the_jars_and_follows_changes_on_disk() throws Exception {
        Client client = newClient(null);
        assertEquals("[Panel] Your domain one.com is registered", sendEmailAndReadSubject(client, "one.com"));
        assertNotNull(app.app().context().getRoute("registration-queue"), "the jar's other routes still run");

        // changed while the app runs
        Files.writeString(routesDir.resolve("my-email.camel.yaml"), emailRoute("[Changed] "));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> sendEmailAndReadSubject(client, "two.com").startsWith("[Changed] "));

        // a broken file: refused, the running route stays as it was
        Files.writeString(
                routesDir.resolve("my-email.camel.yaml"),
                "- route:\n    id: email-queue-job\n    from:\n      uri: direct:email-queue-job\n      steps:\n"
                        + "        - to: {uri: \"nosuchcomponent:anything\"}\n");
        Files.writeString(routesDir.resolve("garbage.camel.yaml"), "- route: [this is: not, a route");
        // the watcher takes both files in turn: each refused with one ERROR line naming it
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals.list.size() >= 2);
        assertEquals(
                List.of("garbage.camel.yaml", "my-email.camel.yaml"),
                refusals.list.stream()
                        .map(e -> Path.of(e.getArgumentArray()[0].toString())
                                .getFileName()
                                .toString())
                        .sorted()
                        .toList());
        assertEquals("[Changed] Your domain three.com is registered", sendEmailAndReadSubject(client, "three.com"));
    }
}
