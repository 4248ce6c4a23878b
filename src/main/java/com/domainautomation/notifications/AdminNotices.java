package com.domainautomation.notifications;

import com.domainautomation.queue.QueueConstants;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/** Dead-letter step: the failure notice for admins (to {@code mail.admin}); none when no address is configured. */
public class AdminNotices {
    public static final String TYPE = "admin-job-failed";
    private final boolean enabled;

    public AdminNotices(String adminAddress) {
        this.enabled = adminAddress != null && !adminAddress.isBlank();
    }

    /** Leaves the admin's email job in the body, or null (no admin address; or the failed job was itself a notice). */
    @SuppressWarnings("unchecked")
    public void notice(Exchange exchange) {
        Object original = exchange.getMessage().getBody();
        boolean aboutANotice = original instanceof Map<?, ?> body && TYPE.equals(body.get("type"));
        if (!enabled || aboutANotice) {
            exchange.getMessage().setBody(null);
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("queue", exchange.getProperty(QueueConstants.JOB_QUEUE));
        data.put("jobId", exchange.getProperty(QueueConstants.JOB_ID));
        data.put("attempts", exchange.getProperty(QueueConstants.JOB_ATTEMPT));
        data.put("error", exchange.getProperty("jobError"));
        data.put("at", Instant.now().toString());
        data.put("job", original instanceof Map<?, ?> map ? map.toString() : String.valueOf(original));
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("type", TYPE);
        email.put("data", data);
        exchange.getMessage().setBody(email);
        exchange.getMessage()
                .setHeader(
                        QueueConstants.HEADER_JOB_ID,
                        "email:" + TYPE + ":" + data.get("queue") + ":" + data.get("jobId"));
    }
}
