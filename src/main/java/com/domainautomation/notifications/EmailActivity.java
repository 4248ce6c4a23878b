package com.domainautomation.notifications;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.Jobs;
import com.domainautomation.support.Db;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;

/** Email outcomes in the domain's activity log: one entry when an email about a domain was sent or failed for good. */
public class EmailActivity {
    private final Db db;
    private final ActivityLog activity;

    public EmailActivity(Db db, ActivityLog activity) {
        this.db = db;
        this.activity = activity;
    }

    /** Route step after the send: the job was kept in the property {@code emailJob} by the composer. */
    public void sent(Exchange exchange) {
        record(exchange, exchange.getProperty(EmailComposer.JOB_PROPERTY, Map.class), "success", null);
    }

    /** Dead-letter step: the original job is the body. */
    public void failed(Exchange exchange) {
        record(
                exchange,
                exchange.getMessage().getBody(Map.class),
                "failure",
                String.valueOf(exchange.getProperty("jobError")));
    }

    private void record(Exchange exchange, Map<?, ?> job, String result, String error) {
        if (job == null || job.get("domainId") == null) {
            return;
        }
        Document domain = db.get(Db.DOMAINS)
                .find(eq("_id", job.get("domainId").toString()))
                .first();
        if (domain != null) {
            activity.record(domain, Jobs.jobRef(exchange), "email " + job.get("type"), result, error, null);
        }
    }
}
