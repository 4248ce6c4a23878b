package com.domainautomation.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.domainautomation.support.Db;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Whole-app tests of the crons: time is moved on the app's clock (the registrar and mail fakes are not affected),
 * domains are written straight into the store with the expiry a test needs, and a cron is run the way an admin
 * does ({@code POST /api/admin/cron/{name}/run}) and waited for until its run summary is there.
 */
public abstract class CronTestSupport extends AppTestSupport {
    /** The real instant the test started at; the app's clock is set relative to it. */
    protected final Instant start = Instant.now();

    /** The app's clock runs {@code offset} ahead of real time from now on (a test lasts seconds: about start + offset). */
    protected void clockAt(Duration offset) {
        app.clock().set(Clock.offset(Clock.systemUTC(), offset));
    }

    /** An active domain of the client, registered a year ago, expiring at {@code expiresAt}. */
    protected String insertDomain(Client client, String name, Instant expiresAt, boolean autoRenew) {
        String id = "ord_" + Long.toHexString(System.nanoTime()) + "-1";
        app.db()
                .get(Db.DOMAINS)
                .insertOne(new Document("_id", id)
                        .append("name", name)
                        .append("unicodeName", name)
                        .append("userId", client.id())
                        .append("orderId", id.substring(0, id.length() - 2))
                        .append("status", "active")
                        .append("registrationPeriod", 1)
                        .append("privacyProtection", false)
                        .append("autoRenew", autoRenew)
                        .append("autoRenewAttempts", 0)
                        .append("price", 1299L)
                        .append("currency", "USD")
                        .append("contact", new Document(contact()))
                        .append("registeredAt", Date.from(expiresAt.minus(Duration.ofDays(365))))
                        .append("expiresAt", Date.from(expiresAt))
                        .append("lastExpiryReminderAt", null)
                        .append("createdAt", new Date())
                        .append("updatedAt", new Date()));
        return id;
    }

    /** Runs the cron now through the admin API and returns its run summary. */
    protected Map<String, Object> runCron(String name) {
        Instant asked = app.clock().now();
        ApiClient.Response response = app.api().post("/api/admin/cron/" + name + "/run", TestApp.ADMIN_TOKEN, Map.of());
        assertEquals(202, response.status(), response.text());
        return awaitRun(name, asked);
    }

    /** The summary of the cron's first run that started at or after {@code after} (app clock). */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> awaitRun(String name, Instant after) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            for (Map<String, Object> cron : app.api()
                                    .get("/api/admin/cron", TestApp.ADMIN_TOKEN)
                                    .list()) {
                                Map<String, Object> last = (Map<String, Object>) cron.get("lastRun");
                                if (name.equals(cron.get("name"))
                                        && last != null
                                        && !Instant.parse((String) last.get("startedAt"))
                                                .isBefore(after)) {
                                    return last;
                                }
                            }
                            return null;
                        },
                        r -> r != null);
    }

    protected static long number(Map<String, Object> summary, String field) {
        return ((Number) summary.get(field)).longValue();
    }

    @SuppressWarnings("unchecked")
    protected static long outcome(Map<String, Object> summary, String outcome) {
        Object value = ((Map<String, Object>) summary.get("outcomes")).get(outcome);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** Subjects of the emails received so far, in order. */
    protected static List<String> subjects() {
        return List.of(mail.getReceivedMessages()).stream()
                .map(CronTestSupport::subject)
                .toList();
    }

    protected static List<String> awaitSubjects(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length >= count);
        return subjects();
    }

    protected static String body(String subject) {
        for (MimeMessage message : mail.getReceivedMessages()) {
            if (subject.equals(subject(message))) {
                return com.icegreen.greenmail.util.GreenMailUtil.getBody(message);
            }
        }
        throw new AssertionError("no email with subject " + subject + " in " + subjects());
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
