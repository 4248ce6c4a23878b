package com.domainautomation;

import static com.domainautomation.testing.GoDaddyMock.activeDetails;
import static com.domainautomation.testing.GoDaddyMock.detailsOf;
import static com.domainautomation.testing.GoDaddyMock.json;
import static com.domainautomation.testing.GoDaddyMock.purchaseResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.CronTestSupport;
import com.domainautomation.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transfer-status cron with a moved clock: checks queued for transfers not checked lately; stalled at 14 days; failed at 30. */
class TransferStatusCronIT extends CronTestSupport {

    @Test
    void a_transfer_pending_for_weeks_is_checked_then_stalled_then_failed_and_refunded() throws Exception {
        godaddy.stub(
                post(urlEqualTo("/v1/domains/slow-example.com/transfer")).willReturn(json(200, purchaseResponse())));
        godaddy.stub(detailsOf("slow-example.com")
                .willReturn(json(
                        200,
                        activeDetails("slow-example.com", Instant.now().plus(Duration.ofDays(400)))
                                .replace("\"ACTIVE\"", "\"PENDING_TRANSFER_IN_ACK\""))));
        Client client = newClient("50.00");
        ApiClient.Response requested = app.api().post("/api/transfers", client.token(), transfer("slow-example.com"));
        assertEquals(202, requested.status(), requested.text());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "pending".equals(domain(client, "slow-example.com").get("transferStatus")));
        assertEquals("37.01", balance(client));

        // just requested: its own checks follow it (the next one in an hour), nothing for the cron to do
        Map<String, Object> early = runCron("transfer-status");
        assertEquals(1, number(early, "seen"), early.toString());
        assertEquals(0, number(early, "queued"), early.toString());

        // two hours later nobody has checked it (its delayed check is an hour of real time away): the cron queues one
        clockAt(Duration.ofHours(2));
        int lookups = godaddy.lookups("slow-example.com");
        // the transfer workers paused, so the check waits in its queue while the cron runs again: one check per look
        app.app().context().getRouteController().stopRoute("transfer-queue");
        assertEquals(1, outcome(runCron("transfer-status"), "check-queued"));
        Map<String, Object> rerun = runCron("transfer-status");
        assertEquals(0, number(rerun, "queued"), rerun.toString());
        assertEquals(1, outcome(rerun, "check-queued-earlier"), rerun.toString());
        app.app().context().getRouteController().startRoute("transfer-queue");
        await().atMost(Duration.ofSeconds(20)).until(() -> godaddy.lookups("slow-example.com") > lookups);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> domain(client, "slow-example.com").get("transferLastChecked") != null);
        assertEquals(0, number(runCron("transfer-status"), "queued"), "checked a moment ago: no second check");

        // 15 days: stalled, needs attention (and checked again)
        Map<String, Object> stalled = runAt(Duration.ofDays(15));
        assertEquals(1, outcome(stalled, "stalled"), stalled.toString());
        Map<String, Object> view = domain(client, "slow-example.com");
        assertEquals("stalled", view.get("transferStatus"));
        assertEquals(Boolean.TRUE, view.get("transferNeedsAttention"));
        assertEquals("pending", view.get("status"));
        assertEquals(0, outcome(runCron("transfer-status"), "stalled"), "flagged once");

        // 31 days: failed, refunded, the owner emailed
        Map<String, Object> failed = runAt(Duration.ofDays(31));
        assertEquals(1, outcome(failed, "failed-after-30-days"), failed.toString());
        view = awaitStatus(client, "slow-example.com", "failed");
        assertEquals("failed", view.get("transferStatus"));
        assertTrue(((String) view.get("transferFailureReason")).contains("30 days"), view.toString());
        assertEquals("50.00", balance(client));
        assertTrue(
                awaitSubjects(1).contains("The transfer of slow-example.com failed"),
                subjects().toString());
        assertTrue(body("The transfer of slow-example.com failed").contains("refund"));
        assertEquals(0, number(runCron("transfer-status"), "seen"), "nothing under way any more");
        List<Map<String, Object>> history = app.api()
                .get("/api/domains/slow-example.com/activity", client.token())
                .list();
        assertTrue(history.stream().anyMatch(e -> "transfer-stalled".equals(e.get("action"))), history.toString());
        assertTrue(
                history.stream().anyMatch(e -> "transfer".equals(e.get("action")) && "failure".equals(e.get("result"))),
                history.toString());
        Map<String, Object> verify =
                app.api().get("/api/admin/ledger/verify", TestApp.ADMIN_TOKEN).map();
        assertEquals(Boolean.TRUE, verify.get("everyChargeHasOutcome"), verify.toString());
    }

    private Map<String, Object> runAt(Duration offset) {
        clockAt(offset);
        return runCron("transfer-status");
    }

    private static Map<String, Object> transfer(String domain) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain);
        body.put("authCode", "EPP-123");
        body.put("contact", contact());
        body.put("agreeToTerms", true);
        return body;
    }
}
