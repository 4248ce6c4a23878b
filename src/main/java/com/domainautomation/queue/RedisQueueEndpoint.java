package com.domainautomation.queue;

import java.time.Duration;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** Options of {@code redisqueue:}; each can be set from a property placeholder in the route. */
public class RedisQueueEndpoint extends DefaultEndpoint {
    private final RedisJobQueue queue;
    private int concurrentConsumers = 1;
    private int maxAttempts = 5;
    private long backoffDelay = 1000;
    private long backoffMaxDelay = 300_000;
    private long visibilityTimeout = 30_000;
    private int maxDeliveries = 10;
    private long shutdownTimeout = 30_000;
    private long promoteInterval = 25;
    private long dedupeWindow = Duration.ofDays(7).toSeconds();
    private int keepCompleted = RedisJobQueue.Retention.DEFAULT.keepCompleted();
    private long keepCompletedAge =
            RedisJobQueue.Retention.DEFAULT.completedAge().toMillis();
    private int keepFailed = RedisJobQueue.Retention.DEFAULT.keepFailed();
    private long keepFailedAge = RedisJobQueue.Retention.DEFAULT.failedAge().toMillis();
    private boolean batch;
    private int prefetch = -1;

    RedisQueueEndpoint(String uri, RedisQueueComponent component, RedisJobQueue queue) {
        super(uri, component);
        this.queue = queue;
    }

    @Override
    public Producer createProducer() {
        return new RedisQueueProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RedisQueueConsumer consumer = new RedisQueueConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public RedisQueueComponent getComponent() {
        return (RedisQueueComponent) super.getComponent();
    }

    public RedisJobQueue getQueue() {
        return queue;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    /** Jobs processed at once by this consumer (threads). */
    public void setConcurrentConsumers(int concurrentConsumers) {
        if (concurrentConsumers < 1) {
            throw new IllegalArgumentException("concurrentConsumers must be at least 1");
        }
        this.concurrentConsumers = concurrentConsumers;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    /** Attempts a job gets when its route keeps failing; then it goes to the failed set. */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    public long getBackoffDelay() {
        return backoffDelay;
    }

    /** First retry delay in ms; doubles with every further attempt (plus up to 20% jitter). */
    public void setBackoffDelay(long backoffDelay) {
        this.backoffDelay = backoffDelay;
    }

    public long getBackoffMaxDelay() {
        return backoffMaxDelay;
    }

    public void setBackoffMaxDelay(long backoffMaxDelay) {
        this.backoffMaxDelay = backoffMaxDelay;
    }

    public long getVisibilityTimeout() {
        return visibilityTimeout;
    }

    /** A job held this long (ms) by a consumer that stopped renewing its lease is delivered again. */
    public void setVisibilityTimeout(long visibilityTimeout) {
        this.visibilityTimeout = Math.max(100, visibilityTimeout);
    }

    public int getMaxDeliveries() {
        return maxDeliveries;
    }

    /** A job delivered more often than this (its consumers kept dying) is failed instead of looping. */
    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public long getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** On stop, in-flight jobs get this long (ms) to finish; the rest are redelivered later. */
    public void setShutdownTimeout(long shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public long getPromoteInterval() {
        return promoteInterval;
    }

    /** How often (ms) delayed jobs whose time has come are moved back to the queue. */
    public void setPromoteInterval(long promoteInterval) {
        this.promoteInterval = Math.max(5, promoteInterval);
    }

    public long getDedupeWindow() {
        return dedupeWindow;
    }

    /** Producer: a job id given in the JobId header is accepted once for this many seconds (0 = no dedupe). */
    public void setDedupeWindow(long dedupeWindow) {
        this.dedupeWindow = dedupeWindow;
    }

    public void setKeepCompleted(int keepCompleted) {
        this.keepCompleted = keepCompleted;
    }

    public void setKeepCompletedAge(long keepCompletedAge) {
        this.keepCompletedAge = keepCompletedAge;
    }

    public void setKeepFailed(int keepFailed) {
        this.keepFailed = keepFailed;
    }

    public void setKeepFailedAge(long keepFailedAge) {
        this.keepFailedAge = keepFailedAge;
    }

    /** Jobs read ahead beyond the free consumers, so the next one is at hand (default: concurrentConsumers, at most 32). */
    public int getPrefetch() {
        return prefetch >= 0 ? prefetch : Math.min(concurrentConsumers, 32);
    }

    public void setPrefetch(int prefetch) {
        this.prefetch = Math.max(0, prefetch);
    }

    public boolean isBatch() {
        return batch;
    }

    /** Producer: the body is a list; each element becomes one job, all sent in one pipelined burst. */
    public void setBatch(boolean batch) {
        this.batch = batch;
    }

    RedisJobQueue.Retention retention() {
        return new RedisJobQueue.Retention(
                keepCompleted, Duration.ofMillis(keepCompletedAge), keepFailed, Duration.ofMillis(keepFailedAge));
    }

    Backoff backoff() {
        return new Backoff(backoffDelay, backoffMaxDelay);
    }
}
