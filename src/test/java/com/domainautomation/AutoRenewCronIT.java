package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.activeDetails;
import static com.domainautomation.testing.GoDaddyMock.detailsOf;
import static com.domainautomation.testing.GoDaddyMock.json;
import static com.domainautomation.testing.GoDaddyMock.purchaseResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.domains.RenewalService;
import com.domainautomation.support.Db;
import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.CronTestSupport;
import com.domainautomation.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.builder.AdviceWith;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The auto-renew cron with a moved clock: charged once, renewed; short of funds three nights; refused for good; a crash before queueing. */
class AutoRenewCronIT extends CronTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("queue.renewal.max-attempts", "2");
        settings.put("queue.renewal.backoff-ms", "100");
        settings.put("recovery.grace-ms", "1000");
    }

    @Test
    void charges_once_and_renews_a_domain_about_to_expire() {
        Client client = newClient("20.00");
        insertDomain(client, "auto-example.com", start.plus(Duration.ofDays(10)), true);
        Instant renewedUntil = start.plus(Duration.ofDays(375)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        godaddy.stub(renewOf("auto-example.com")
                .willReturn(json(200, purchaseResponse()).withFixedDelay(1500)));
        godaddy.stub(
                detailsOf("auto-example.com").willReturn(json(200, activeDetails("auto-example.com", renewedUntil))));

        assertEquals(0, number(runAt(Duration.ofDays(2)), "seen"), "more than 7 days left: not yet");
        Map<String, Object> run = runAt(Duration.ofDays(4).plusHours(1));
        assertEquals(1, outcome(run, "charged"), run.toString());
        assertEquals(1, number(run, "queued"));
        assertEquals("7.01", balance(client));
        // a second run while the renewal is under way finds the same renewal: no second charge, no second job
        Map<String, Object> rerun = runCron("auto-renew");
        assertEquals(0, number(rerun, "queued"), rerun.toString());
        assertEquals("7.01", balance(client));

        await().atMost(Duration.ofSeconds(20)).until(() -> renewedUntil
                .toString()
                .equals(domain(client, "auto-example.com").get("expiresAt")));
        assertTrue(awaitSubjects(1).contains("Your domain auto-example.com is renewed"));
        assertEquals(1, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/auto-example.com/renew"))));
        List<Map<String, Object>> charges = app.api().get("/api/transactions", client.token()).list().stream()
                .filter(t -> "charge".equals(t.get("type")))
                .toList();
        assertEquals(1, charges.size(), charges.toString());
        assertEquals(1, app.api().get("/api/invoices", client.token()).list().size(), "the renewal invoice");
        assertEquals(0, number(runCron("auto-renew"), "seen"), "renewed: no longer due");
    }

    @Test
    void short_of_funds_three_nights_running_switches_auto_renew_off() {
        Client client = newClient("5.00");
        insertDomain(client, "poor-example.com", start.plus(Duration.ofDays(10)), true);

        Map<String, Object> first = runAt(Duration.ofDays(4).plusHours(1));
        assertEquals(1, outcome(first, "insufficient-funds"), first.toString());
        assertEquals(1, ((Number) domain(client, "poor-example.com").get("autoRenewAttempts")).intValue());
        assertEquals(List.of("Auto-renewal of poor-example.com failed"), awaitSubjects(1));
        assertTrue(body("Auto-renewal of poor-example.com failed").contains("Auto-renew stays on"));
        assertEquals(0, number(runCron("auto-renew"), "queued"), "a rerun the same night counts nothing");
        assertEquals(1, ((Number) domain(client, "poor-example.com").get("autoRenewAttempts")).intValue());

        assertEquals(1, outcome(runAt(Duration.ofDays(5).plusHours(1)), "insufficient-funds"));
        Map<String, Object> third = runAt(Duration.ofDays(6).plusHours(1));
        assertEquals(1, outcome(third, "insufficient-funds-auto-renew-off"), third.toString());
        Map<String, Object> view = domain(client, "poor-example.com");
        assertEquals(3, ((Number) view.get("autoRenewAttempts")).intValue());
        assertEquals(Boolean.FALSE, view.get("autoRenew"));
        awaitSubjects(3);
        // and no fourth: one email per night
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> subjects().size() == 3);
        String last = com.icegreen.greenmail.util.GreenMailUtil.getBody(mail.getReceivedMessages()[2]);
        assertTrue(last.contains("switched off") && last.contains("after 3 failed attempts"), last);

        assertEquals(0, number(runAt(Duration.ofDays(7).plusHours(1)), "seen"), "auto-renew is off");
        assertEquals("5.00", balance(client), "never charged");
        assertEquals(0, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/poor-example.com/renew"))));

        // the owner switches it back on: three attempts again
        assertEquals(
                400,
                app.api()
                        .patch("/api/domains/poor-example.com", client.token(), Map.of("autoRenew", "yes"))
                        .status());
        assertEquals(
                400,
                app.api()
                        .patch(
                                "/api/domains/poor-example.com",
                                client.token(),
                                Map.of("autoRenew", true, "status", "active"))
                        .status());
        assertEquals(
                404,
                app.api()
                        .patch("/api/domains/poor-example.com", newClient(null).token(), Map.of("autoRenew", true))
                        .status());
        ApiClient.Response on =
                app.api().patch("/api/domains/poor-example.com", client.token(), Map.of("autoRenew", true));
        assertEquals(200, on.status(), on.text());
        assertEquals(Boolean.TRUE, on.map().get("autoRenew"));
        assertEquals(0, ((Number) on.map().get("autoRenewAttempts")).intValue());
        assertEquals(
                1,
                outcome(runCron("auto-renew"), "insufficient-funds"),
                "tried again the same night after the owner's change");
    }

    @Test
    void a_renewal_the_registrar_refuses_is_refunded_and_counted_as_a_failed_attempt() {
        Client client = newClient("50.00");
        insertDomain(client, "refused-auto.com", start.plus(Duration.ofDays(10)), true);
        godaddy.stub(
                renewOf("refused-auto.com")
                        .willReturn(
                                json(
                                        409,
                                        "{\"code\":\"DOMAIN_STATUS_PROHIBITS_RENEWAL\",\"message\":\"domain status does not allow renewal\"}")));

        assertEquals(1, outcome(runAt(Duration.ofDays(4).plusHours(1)), "charged"));

        await().atMost(Duration.ofSeconds(20)).until(() -> "50.00".equals(balance(client)));
        assertEquals(List.of("Auto-renewal of refused-auto.com failed"), awaitSubjects(1));
        assertTrue(body("Auto-renewal of refused-auto.com failed").contains("DOMAIN_STATUS_PROHIBITS_RENEWAL"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ((Number) domain(client, "refused-auto.com").get("autoRenewAttempts")).intValue() == 1);
        assertEquals(Boolean.TRUE, domain(client, "refused-auto.com").get("autoRenew"));
        List<Map<String, Object>> ledger =
                app.api().get("/api/transactions", client.token()).list();
        assertEquals(
                1, ledger.stream().filter(t -> "refund".equals(t.get("type"))).count(), ledger.toString());

        // the next night is a new attempt: charged again (and refused again)
        assertEquals(1, outcome(runAt(Duration.ofDays(5).plusHours(1)), "charged"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ((Number) domain(client, "refused-auto.com").get("autoRenewAttempts")).intValue() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> "50.00".equals(balance(client)));
    }

    @Test
    void a_crash_between_the_charge_and_the_queue_is_repaired_by_the_sweeper() throws Exception {
        Client client = newClient("20.00");
        insertDomain(client, "crash-auto.com", start.plus(Duration.ofDays(10)), true);
        Instant renewedUntil = start.plus(Duration.ofDays(375)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        godaddy.stub(renewOf("crash-auto.com").willReturn(json(200, purchaseResponse())));
        godaddy.stub(detailsOf("crash-auto.com").willReturn(json(200, activeDetails("crash-auto.com", renewedUntil))));
        // the process dies right after the charge: the renewal job is never queued
        AdviceWith.adviceWith(
                app.app().context(), "auto-renew-cron-item", route -> route.weaveById("auto-renew-queue-renewal")
                        .replace()
                        .throwException(new IllegalStateException("process killed here")));

        Map<String, Object> run = runAt(Duration.ofDays(4).plusHours(1));
        assertEquals(1, outcome(run, "charged"), run.toString());
        assertEquals(1, number(run, "errors"), run.toString());
        assertEquals("7.01", balance(client));
        Document outbox =
                app.db().get(Db.OUTBOX).find(new Document("kind", "renewal")).first();
        assertNotNull(outbox, "its outbox entry is left");
        Document renewal = app.db()
                .get(RenewalService.RENEWALS)
                .find(new Document("_id", outbox.getString("_id").substring("renewal:".length())))
                .first();
        assertNotNull(renewal);
        assertEquals("crash-auto.com", renewal.getString("domain"));
        assertEquals("pending", renewal.getString("status"));

        Map<String, String> settings = new HashMap<>(app.settings());
        app.close();
        app = TestApp.start(settings); // a new process on the same stores (the same day: the clock is moved again)
        clockAt(Duration.ofDays(4).plusHours(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> renewedUntil
                .toString()
                .equals(domain(client, "crash-auto.com").get("expiresAt")));
        assertEquals("7.01", balance(client), "charged once");
        assertEquals(1, godaddy.count(postRequestedFor(urlEqualTo("/v1/domains/crash-auto.com/renew"))));
        Map<String, Object> verify =
                app.api().get("/api/admin/ledger/verify", TestApp.ADMIN_TOKEN).map();
        assertEquals(Boolean.TRUE, verify.get("balanced"), verify.toString());
        assertEquals(Boolean.TRUE, verify.get("everyChargeHasOutcome"), verify.toString());
        assertEquals(0, number(runCron("auto-renew"), "seen"), "renewed: nothing left for the cron");
    }

    private Map<String, Object> runAt(Duration offset) {
        clockAt(offset);
        return runCron("auto-renew");
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder renewOf(String name) {
        return post(urlEqualTo("/v1/domains/" + name + "/renew"));
    }
}
