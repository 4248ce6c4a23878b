package com.domainautomation.notifications;

import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** Dead-letter step: the failure notice for admins (to {@code mail.admin}); none when no address is configured. */
public class AdminNotices {
    public static final String TYPE = "admin-job-failed";
    private final boolean enabled;

    public AdminNotices(String adminAddress) {
        this.enabled = adminAddress != null && !adminAddress.isBlank();
    }

    /** The admin's email about the failed job, or null (no admin address; or the failed job was itself a notice). */
    public JobRequest notice(
            @Body Object original,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job,
            @ExchangeProperty("jobError") String error) {
        boolean aboutANotice = original instanceof Map<?, ?> body && TYPE.equals(body.get("type"));
        if (!enabled || aboutANotice) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("queue", job.queue());
        data.put("jobId", job.id());
        data.put("attempts", job.attempt());
        data.put("error", error);
        data.put("at", Instant.now().toString());
        data.put("job", original instanceof Map<?, ?> map ? map.toString() : String.valueOf(original));
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("type", TYPE);
        email.put("data", data);
        return JobRequest.of(email, "email:" + TYPE + ":" + job.queue() + ":" + job.id());
    }
}
