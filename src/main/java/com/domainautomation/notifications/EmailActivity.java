package com.domainautomation.notifications;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.Domain;
import com.domainautomation.queue.JobContext;
import com.domainautomation.support.Db;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** Email outcomes in the domain's activity log: one entry when an email about a domain was sent or failed for good. */
public class EmailActivity {
    private final Db db;
    private final ActivityLog activity;
    private final Counter sent;
    private final Counter failed;

    public EmailActivity(Db db, ActivityLog activity, MeterRegistry registry) {
        this.db = db;
        this.activity = activity;
        this.sent = emails(registry, "sent");
        this.failed = emails(registry, "failed");
    }

    private static Counter emails(MeterRegistry registry, String result) {
        return Counter.builder("da_emails")
                .description("Emails this instance sent (SMTP or outbox), or gave up on (failed for good)")
                .tag("result", result)
                .register(registry);
    }

    /** Route step after the send: the job was kept in the property {@code emailJob}. */
    public void sent(
            @ExchangeProperty(EmailComposer.JOB_PROPERTY) Map<?, ?> job,
            @ExchangeProperty(JobContext.PROPERTY) JobContext context) {
        sent.increment();
        record(context, job, "success", null);
    }

    /** Dead-letter step: the original job is the body. */
    public void failed(
            @Body Map<?, ?> job,
            @ExchangeProperty("jobError") String error,
            @ExchangeProperty(JobContext.PROPERTY) JobContext context) {
        failed.increment();
        record(context, job, "failure", error);
    }

    private void record(JobContext context, Map<?, ?> job, String result, String error) {
        if (job == null || job.get("domainId") == null) {
            return;
        }
        Domain domain = Domain.of(db.get(Db.DOMAINS)
                .find(eq("_id", job.get("domainId").toString()))
                .first());
        if (domain != null) {
            activity.record(domain, context.ref(), "email " + job.get("type"), result, error, null);
        }
    }
}
