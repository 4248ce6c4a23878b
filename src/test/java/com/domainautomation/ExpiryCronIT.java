package com.domainautomation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.support.Db;
import com.domainautomation.testing.CronTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The domain-expiry cron with a moved clock: 30/7/1-day notices once each, expiry, the notice after it; reruns send nothing. */
class ExpiryCronIT extends CronTestSupport {

    @Test
    void each_notice_goes_out_once_and_reruns_send_nothing() {
        Client client = newClient(null);
        Instant expiry = start.plus(Duration.ofDays(40));
        insertDomain(client, "soon-example.com", expiry, false);
        insertDomain(client, "later-example.com", start.plus(Duration.ofDays(200)), false);

        // 30 days before: the first notice; a second run the same night adds nothing
        clockAt(Duration.ofDays(10).plusHours(1));
        Map<String, Object> first = runCron("domain-expiry");
        assertEquals(1, number(first, "queued"), first.toString());
        assertEquals(1, outcome(first, "notice-30d"), first.toString());
        assertEquals(0, number(first, "errors"));
        assertEquals(List.of("soon-example.com expires in 30 day(s)"), awaitSubjects(1));
        Map<String, Object> rerun = runCron("domain-expiry");
        assertEquals(0, number(rerun, "queued"), rerun.toString());
        assertEquals(0, number(rerun, "seen"), "the query already leaves it out: " + rerun);

        // days later, still more than 7 days left: nothing
        assertEquals(0, number(runAt(Duration.ofDays(20)), "queued"));

        // 7 days before, then 1 day before
        assertEquals(1, outcome(runAt(Duration.ofDays(33).plusHours(1)), "notice-7d"));
        assertEquals(0, number(runCron("domain-expiry"), "queued"));
        assertEquals(1, outcome(runAt(Duration.ofDays(39).plusHours(1)), "notice-1d"));
        assertEquals(0, number(runCron("domain-expiry"), "queued"));
        assertEquals(
                List.of(
                        "soon-example.com expires in 30 day(s)",
                        "soon-example.com expires in 7 day(s)",
                        "soon-example.com expires in 1 day(s)"),
                awaitSubjects(3));
        assertTrue(
                body("soon-example.com expires in 7 day(s)").contains("Auto-renew is off"),
                body("soon-example.com expires in 7 day(s)"));

        // past its expiry: expired, emailed once
        Map<String, Object> expired = runAt(Duration.ofDays(40).plusHours(1));
        assertEquals(1, outcome(expired, "expired"), expired.toString());
        assertEquals("expired", domain(client, "soon-example.com").get("status"));
        assertEquals(0, number(runCron("domain-expiry"), "queued"));
        assertEquals("soon-example.com has expired", awaitSubjects(4).get(3));

        // one more notice a few days after expiry (expiry.after-expiry-notice-days = 3), once
        assertEquals(0, number(runAt(Duration.ofDays(42)), "queued"), "too early for the notice after expiry");
        assertEquals(1, outcome(runAt(Duration.ofDays(43).plusHours(1)), "after-expiry-notice"));
        assertEquals(0, number(runCron("domain-expiry"), "queued"));
        assertEquals("Reminder: soon-example.com has expired", awaitSubjects(5).get(4));
        assertTrue(body("Reminder: soon-example.com has expired").contains("3 days ago we wrote"));
        assertEquals(5, subjects().size(), "five notices in all: " + subjects());

        Map<String, Object> view = domain(client, "soon-example.com");
        assertEquals(-1, ((Number) view.get("lastExpiryReminderDays")).intValue(), view.toString());
        List<Map<String, Object>> history = app.api()
                .get("/api/domains/soon-example.com/activity", client.token())
                .list();
        for (String action : List.of("notice-30d", "notice-7d", "notice-1d", "expired", "after-expiry-notice")) {
            assertEquals(
                    1,
                    history.stream().filter(e -> action.equals(e.get("action"))).count(),
                    action + " in " + history);
        }
        List<Map<String, Object>> runs = app
                .api()
                .get("/api/admin/activity?limit=100", com.domainautomation.testing.TestApp.ADMIN_TOKEN)
                .list()
                .stream()
                .filter(e -> "cron domain-expiry".equals(e.get("action")))
                .toList();
        assertEquals(12, runs.size(), "every run left its summary");
    }

    @Test
    void one_bad_domain_does_not_stop_the_run() {
        Client client = newClient(null);
        insertDomain(client, "good-one.com", start.plus(Duration.ofDays(20)), true);
        String bad = insertDomain(client, "broken-one.com", start.plus(Duration.ofDays(20)), false);
        insertDomain(client, "good-two.com", start.plus(Duration.ofDays(5)), false);
        // a document written by hand with a price that is text: building its email fails
        app.db()
                .get(Db.DOMAINS)
                .updateOne(new Document("_id", bad), new Document("$set", new Document("price", "12.99")));

        Map<String, Object> run = runCron("domain-expiry");

        assertEquals(3, number(run, "seen"), run.toString());
        assertEquals(2, number(run, "queued"), run.toString());
        assertEquals(1, number(run, "errors"), run.toString());
        assertEquals("ok-with-errors", run.get("result"));
        assertTrue(run.get("errorSamples").toString().contains("broken-one.com"), run.toString());
        List<String> subjects = awaitSubjects(2);
        assertTrue(
                subjects.containsAll(List.of("good-one.com expires in 20 day(s)", "good-two.com expires in 5 day(s)")),
                subjects.toString());
        assertTrue(body("good-one.com expires in 20 day(s)").contains("Auto-renew is on"));
        // the bad one is tried again next run, the good ones are not sent again
        Map<String, Object> again = runCron("domain-expiry");
        assertEquals(1, number(again, "errors"));
        assertEquals(0, number(again, "queued"));
    }

    private Map<String, Object> runAt(Duration offset) {
        clockAt(offset);
        return runCron("domain-expiry");
    }
}
