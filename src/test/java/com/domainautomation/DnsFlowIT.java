package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.json;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Json;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DNS changes through the API and the dns-update queue, against GoDaddy's record endpoints (WireMock). */
class DnsFlowIT extends AppTestSupport {
    @Override
    protected boolean checksApiContract() {
        return true;
    }

    private static final String RECORDS = "/v1/domains/dns-example.com/records";

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("queue.dns.backoff-ms", "100");
        settings.put("queue.dns.rate-per-minute", "600");
    }

    @Test
    void an_upsert_is_a_read_modify_put_by_type_and_name_and_changes_apply_in_order() {
        Client client = registered();
        godaddy.stub(
                get(urlEqualTo(RECORDS + "/MX/@"))
                        .willReturn(
                                json(
                                        200,
                                        "[{\"type\":\"MX\",\"name\":\"@\",\"data\":\"old.example.com\",\"ttl\":3600,\"priority\":20}]")));
        godaddy.stub(put(urlEqualTo(RECORDS + "/MX/@")).willReturn(json(200, "")));
        godaddy.stub(delete(urlEqualTo(RECORDS + "/TXT/_old")).willReturn(json(204, "")));
        godaddy.stub(put(urlEqualTo(RECORDS)).willReturn(json(200, "")));

        ApiClient.Response upsert = app.api()
                .post(
                        "/api/domains/dns-example.com/dns/records",
                        client.token(),
                        List.of(Map.of("type", "MX", "name", "@", "data", "mail.example.com", "priority", 10)));
        ApiClient.Response removal = send("DELETE", "/api/domains/dns-example.com/dns/records/TXT/_old", client, null);
        ApiClient.Response replace = send(
                "PUT",
                "/api/domains/dns-example.com/dns/records",
                client,
                List.of(Map.of("type", "A", "name", "@", "data", "203.0.113.7", "ttl", 600)));
        assertEquals(202, upsert.status(), upsert.text());
        assertEquals(202, removal.status(), removal.text());
        assertEquals(202, replace.status(), replace.text());

        await().atMost(Duration.ofSeconds(20)).until(() -> godaddy.count(putRequestedFor(urlEqualTo(RECORDS))) == 1);
        List<ServeEvent> writes = godaddy.server().getAllServeEvents().stream()
                .filter(e -> !e.getRequest().getMethod().getName().equals("GET")
                        && e.getRequest().getUrl().startsWith(RECORDS))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
        assertEquals(
                List.of("PUT " + RECORDS + "/MX/@", "DELETE " + RECORDS + "/TXT/_old", "PUT " + RECORDS),
                writes.stream()
                        .map(e -> e.getRequest().getMethod().getName() + " "
                                + e.getRequest().getUrl())
                        .toList(),
                "applied one at a time, in the order they were made");
        List<Object> merged =
                (List<Object>) Json.readList(writes.get(0).getRequest().getBodyAsString());
        assertEquals(2, merged.size(), "the existing MX kept, the new one added: " + merged);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> domain(client, "dns-example.com").get("lastDnsUpdateAt") != null);
        assertEquals(1, godaddy.count(deleteRequestedFor(urlEqualTo(RECORDS + "/TXT/_old"))));
    }

    @Test
    void a_cname_beside_a_record_the_registrar_has_is_400_and_taken_when_the_registrar_cannot_be_asked() {
        Client client = registered();
        godaddy.stub(
                get(urlEqualTo(RECORDS))
                        .willReturn(
                                json(
                                        200,
                                        "[{\"type\":\"A\",\"name\":\"www\",\"data\":\"203.0.113.1\",\"ttl\":3600},"
                                                + "{\"type\":\"CNAME\",\"name\":\"shop\",\"data\":\"shops.example.net\",\"ttl\":3600}]")));
        ApiClient.Response beside = app.api()
                .post(
                        "/api/domains/dns-example.com/dns/records",
                        client.token(),
                        List.of(Map.of("type", "CNAME", "name", "www", "data", "a.example.net")));
        assertEquals(400, beside.status(), beside.text());
        assertTrue(beside.text().contains("already has an A record"), beside.text());
        assertEquals(
                400,
                app.api()
                        .post(
                                "/api/domains/dns-example.com/dns/records",
                                client.token(),
                                List.of(Map.of("type", "TXT", "name", "shop", "data", "hello")))
                        .status(),
                "a record beside an existing CNAME");
        assertEquals(
                0,
                com.domainautomation.testing.SharedStores.redis().sync().xlen("da:q:{dns-update}:p2"),
                "nothing queued");

        godaddy.stub(get(urlEqualTo(RECORDS))
                .willReturn(json(500, "{\"code\":\"INTERNAL_SERVER_ERROR\",\"message\":\"down\"}")));
        ApiClient.Response read = app.api().get("/api/domains/dns-example.com/dns/records", client.token());
        assertEquals(503, read.status(), "reading while the registrar is down: " + read.text());
        ApiClient.Response taken = app.api()
                .post(
                        "/api/domains/dns-example.com/dns/records",
                        client.token(),
                        List.of(Map.of("type", "CNAME", "name", "blog", "data", "blogs.example.net")));
        assertEquals(202, taken.status(), "taken while the registrar is down: " + taken.text());
    }

    @Test
    void invalid_records_and_undeletable_types_are_400_and_nothing_is_queued() {
        Client client = registered();
        assertEquals(
                400,
                app.api()
                        .post(
                                "/api/domains/dns-example.com/dns/records",
                                client.token(),
                                List.of(Map.of("type", "A", "name", "@", "data", "not-an-ip")))
                        .status());
        assertEquals(
                400,
                app.api()
                        .post("/api/domains/dns-example.com/dns/records", client.token(), "{not json")
                        .status());
        assertEquals(
                400,
                send("DELETE", "/api/domains/dns-example.com/dns/records/NS/@", client, null)
                        .status());
        assertEquals(
                404,
                app.api()
                        .post(
                                "/api/domains/dns-example.com/dns/records",
                                newClient(null).token(),
                                List.of(Map.of("type", "A", "name", "@", "data", "203.0.113.7")))
                        .status());
        assertEquals(0, com.domainautomation.testing.SharedStores.redis().sync().xlen("da:q:{dns-update}:p2"));
    }

    @Test
    void a_change_failing_three_times_is_failed_and_the_owner_emailed() throws Exception {
        Client client = registered();
        godaddy.stub(put(urlEqualTo(RECORDS))
                .willReturn(json(500, "{\"code\":\"INTERNAL_SERVER_ERROR\",\"message\":\"boom\"}")));

        assertEquals(
                202,
                send(
                                "PUT",
                                "/api/domains/dns-example.com/dns/records",
                                client,
                                List.of(Map.of("type", "A", "name", "@", "data", "203.0.113.7")))
                        .status());

        await().atMost(Duration.ofSeconds(20)).until(() -> java.util.Arrays.stream(mail.getReceivedMessages())
                .anyMatch(m -> subject(m).equals("A DNS change for dns-example.com failed")));
        assertEquals(3, godaddy.count(putRequestedFor(urlEqualTo(RECORDS))), "three attempts");
        Map<String, Object> change =
                app.api().get("/api/domains/dns-example.com/activity", client.token()).list().stream()
                        .filter(e -> "dns-replace".equals(e.get("action")))
                        .findFirst()
                        .orElseThrow();
        assertEquals("failure", change.get("result"));
        assertNotNull(change.get("error"));
        assertTrue(app.api()
                        .get("/api/domains/dns-example.com", client.token())
                        .map()
                        .get("lastDnsUpdateAt")
                == null);
    }

    @Test
    void a_change_that_fails_once_is_retried_and_applied() {
        Client client = registered();
        godaddy.stub(put(urlEqualTo(RECORDS))
                .inScenario("flaky")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(json(502, "{\"code\":\"BAD_GATEWAY\",\"message\":\"try again\"}"))
                .willSetStateTo("ok"));
        godaddy.stub(put(urlEqualTo(RECORDS))
                .inScenario("flaky")
                .whenScenarioStateIs("ok")
                .willReturn(json(200, "")));

        assertEquals(
                202,
                send(
                                "PUT",
                                "/api/domains/dns-example.com/dns/records",
                                client,
                                List.of(Map.of("type", "A", "name", "@", "data", "203.0.113.7")))
                        .status());

        await().atMost(Duration.ofSeconds(20))
                .until(() -> domain(client, "dns-example.com").get("lastDnsUpdateAt") != null);
        assertEquals(2, godaddy.count(putRequestedFor(urlEqualTo(RECORDS))));
    }

    private Client registered() {
        godaddy.purchaseSucceeds("dns-example.com");
        Client client = newClient("50.00");
        assertEquals(202, checkout(client, cart("dns-example.com")).status());
        awaitStatus(client, "dns-example.com", "active");
        return client;
    }

    private ApiClient.Response send(String method, String path, Client client, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.settings().get("http.port") + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        return app.api().send(request, client.token(), Map.of());
    }

    private static String subject(jakarta.mail.Message message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
