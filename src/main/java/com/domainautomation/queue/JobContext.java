package com.domainautomation.queue;

/**
 * The job a queue route works on, as the consumer delivered it; in the exchange property {@value #PROPERTY}, so a bean
 * takes it with {@code @ExchangeProperty("job") JobContext job}. {@code deliveredAt} is when the consumer took it
 * (epoch ms): durations count from there, throttle waits included.
 */
public record JobContext(String queue, String id, int attempt, int maxAttempts, long deliveredAt) {
    public static final String PROPERTY = "job";

    /** {@code queue/id#attempt}: how the activity log names the job. */
    public String ref() {
        return queue + "/" + id + "#" + attempt;
    }

    public long elapsedMillis() {
        return System.currentTimeMillis() - deliveredAt;
    }

    /** A job another part of the app runs outside a queue (a cron item), under the name it is logged with. */
    public static JobContext outsideQueue(String source, String id) {
        return new JobContext(source, id, 1, 1, System.currentTimeMillis());
    }
}
