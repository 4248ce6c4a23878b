package com.domainautomation.queue;

/** Names routes use with the {@code redisqueue:} endpoint. */
public final class QueueConstants {
    /** Producer header: a job id given by the sender; the same id keeps the job's identity across retries. */
    public static final String HEADER_JOB_ID = "JobId";
    /** Producer header: deliver the job no sooner than this many milliseconds from now. */
    public static final String HEADER_JOB_DELAY = "JobDelay";

    /** Producer header: 1 (highest) to 3 (lowest); 2 when absent. Under a backlog, higher priority is served first. */
    public static final String HEADER_JOB_PRIORITY = "JobPriority";

    /** Consumer exchange property: the job's id. */
    public static final String JOB_ID = "jobId";
    /** Consumer exchange property: the queue name. */
    public static final String JOB_QUEUE = "jobQueue";
    /** Consumer exchange property: 1 on the first attempt. */
    public static final String JOB_ATTEMPT = "jobAttempt";
    /** Consumer exchange property: attempts allowed before the job is failed. */
    public static final String JOB_MAX_ATTEMPTS = "jobMaxAttempts";
    /** Consumer exchange property: true on the last attempt the job gets (no retry follows a failure). */
    public static final String JOB_LAST_ATTEMPT = "jobLastAttempt";
    /** Consumer exchange property: the job's priority. */
    public static final String JOB_PRIORITY = "jobPriority";
    /** Set by a dead-letter route (any non-null text: the error): the job goes to the failed set, not retried. */
    public static final String JOB_FAILED = "jobFailed";

    private QueueConstants() {}
}
