package com.domainautomation.queue;

import com.domainautomation.queue.RedisJobQueue.Delivery;
import com.domainautomation.support.Json;
import com.domainautomation.support.RetryableException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the route for each job with up to {@code concurrentConsumers} jobs in flight.
 *
 * <p>One reader thread takes as many jobs as there are free workers, highest priority first, in one round trip
 * (and blocks on all priorities when the queue is empty). A job is acknowledged only after its route completed;
 * acknowledgements are batched by one acker thread. When the route fails, the job waits in the delayed set for its
 * backoff (no thread waits) and comes back as its next attempt; after the last attempt, or when a dead-letter route
 * marked it {@link QueueConstants#JOB_FAILED}, it goes to the failed set. Leases of jobs in flight are renewed, and
 * jobs whose consumer died are claimed again after {@code visibilityTimeout}. On stop, no new job is taken and
 * running ones get {@code shutdownTimeout} to finish; the rest are delivered again later.
 */
class RedisQueueConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueueConsumer.class);
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final int MAX_BATCH = 64;

    private final RedisQueueEndpoint endpoint;
    private final RedisJobQueue queue;
    private final String consumerName;
    private final Map<String, Delivery> inFlight = new ConcurrentHashMap<>();
    private final BlockingQueue<Delivery> completed = new LinkedBlockingQueue<>();
    /** Jobs read beyond the free slots (a blocking read over three streams may return up to three times COUNT). */
    private final java.util.ArrayDeque<Delivery> overflow = new java.util.ArrayDeque<>();

    private Semaphore slots;
    private ExecutorService workers;
    private ScheduledExecutorService timers;
    private Thread reader;
    private Thread acker;
    private StatefulRedisConnection<String, String> blockingConnection;
    private volatile boolean running;
    private volatile boolean acking;
    private volatile long nextReclaim;

    RedisQueueConsumer(RedisQueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.queue = endpoint.getQueue();
        this.consumerName = ManagementFactory.getRuntimeMXBean().getName() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        int concurrency = endpoint.getConcurrentConsumers();
        slots = new Semaphore(concurrency);
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        workers = executors.newFixedThreadPool(this, "redisqueue-" + queue.name(), concurrency);
        timers = executors.newScheduledThreadPool(this, "redisqueue-" + queue.name() + "-timers", 1);
        long heartbeat = Math.max(50, endpoint.getVisibilityTimeout() / 3);
        timers.scheduleWithFixedDelay(this::renewLeases, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::promoteDelayed, 0, endpoint.getPromoteInterval(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::trim, 1, 60, TimeUnit.SECONDS);
        running = true;
        acking = true;
        acker = new Thread(this::ackLoop, "redisqueue-" + queue.name() + "-acker");
        acker.setDaemon(true);
        acker.start();
        reader = new Thread(this::readLoop, "redisqueue-" + queue.name() + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (reader != null) {
            reader.join(BLOCK.toMillis() * 4);
        }
        if (workers != null) {
            workers.shutdown();
            if (!workers.awaitTermination(endpoint.getShutdownTimeout(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "Queue {}: {} job(s) still running after {} ms; they will be delivered again",
                        queue.name(),
                        inFlight.size(),
                        endpoint.getShutdownTimeout());
                workers.shutdownNow();
            }
        }
        releaseHeldJobs();
        acking = false;
        if (acker != null) {
            acker.join(5000); // the last acknowledgements go out before the connection closes
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (blockingConnection != null) {
            blockingConnection.close();
            blockingConnection = null;
        }
        super.doStop();
    }

    private void readLoop() {
        while (running) {
            int taken = 0;
            try {
                if (queue.paused()) {
                    releaseHeldJobs(); // read ahead, not started: back to the queue while it is paused
                    pause(RedisJobQueue.PAUSE_CHECK_MILLIS);
                    continue;
                }
                if (!slots.tryAcquire(BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                taken = 1 + drainSlots();
                List<Delivery> read = next(taken);
                if (!read.isEmpty() && queue.paused(readWaited)) {
                    // paused while this read waited (or within the last look's 0.5 s): the jobs go back, none is
                    // started
                    read.forEach(this::hold);
                    releaseHeldJobs();
                    continue;
                }
                for (Delivery delivery : read) {
                    if (taken > 0) {
                        taken--;
                        dispatch(delivery);
                    } else {
                        hold(delivery);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Queue {}: reading failed ({}); trying again in 1 s", queue.name(), e.getMessage());
                    pause(1000);
                }
            } finally {
                if (taken > 0) {
                    slots.release(taken);
                }
            }
        }
    }

    /** Whether the last read waited for jobs (a blocking read), during which the queue may have been paused. */
    private boolean readWaited;

    private List<Delivery> next(int count) {
        readWaited = false;
        if (!overflow.isEmpty()) {
            List<Delivery> held = new ArrayList<>();
            while (held.size() < count && !overflow.isEmpty()) {
                held.add(overflow.poll());
            }
            return held;
        }
        if (System.currentTimeMillis() >= nextReclaim) {
            if (nextReclaim == 0) {
                queue.ensureGroup();
            }
            nextReclaim = System.currentTimeMillis() + Math.max(100, endpoint.getVisibilityTimeout() / 2);
            List<Delivery> reclaimed =
                    queue.reclaim(consumerName, Duration.ofMillis(endpoint.getVisibilityTimeout()), count);
            if (!reclaimed.isEmpty()) {
                return reclaimed;
            }
        }
        // Read a few more than the free slots (prefetch): the next job is at hand when a slot frees up.
        List<Delivery> ready = queue.poll(consumerName, count + endpoint.getPrefetch());
        if (!ready.isEmpty() || !running) {
            return ready;
        }
        if (blockingConnection == null) {
            blockingConnection = endpoint.getComponent().newConnection();
        }
        // may return up to three times count (COUNT applies per priority stream); the extras are held
        readWaited = true;
        return queue.await(blockingConnection.sync(), consumerName, count, BLOCK);
    }

    private void releaseHeldJobs() {
        Delivery held;
        int released = 0;
        while ((held = overflow.poll()) != null) {
            try {
                queue.release(held);
                inFlight.remove(held.messageId());
                released++;
            } catch (RuntimeException e) {
                LOG.warn(
                        "Queue {}: could not hand back job {} ({}); it is delivered again after the visibility timeout",
                        queue.name(),
                        held.job().id(),
                        e.getMessage());
            }
        }
        if (released > 0) {
            LOG.info("Queue {}: handed back {} job(s) read ahead but not started", queue.name(), released);
        }
    }

    /** A job read beyond the free slots: ours now, its lease renewed until a slot frees up. */
    private void hold(Delivery delivery) {
        inFlight.put(delivery.messageId(), delivery);
        overflow.add(delivery);
    }

    private int drainSlots() {
        int extra = 0;
        while (extra < MAX_BATCH - 1 && slots.tryAcquire()) {
            extra++;
        }
        return extra;
    }

    private void dispatch(Delivery delivery) {
        inFlight.put(delivery.messageId(), delivery);
        try {
            workers.execute(() -> {
                try {
                    process(delivery);
                } finally {
                    inFlight.remove(delivery.messageId());
                    slots.release();
                }
            });
        } catch (RuntimeException rejected) {
            inFlight.remove(delivery.messageId());
            slots.release();
            throw rejected;
        }
    }

    private void process(Delivery delivery) {
        Job job = delivery.job();
        if (delivery.reclaimed()) {
            long deliveries = queue.deliveryCount(delivery.stream(), delivery.messageId());
            LOG.warn(
                    "Queue {}: job {} was held by a consumer that stopped; delivering it again (delivery {})",
                    queue.name(),
                    job.id(),
                    deliveries);
            if (deliveries > endpoint.getMaxDeliveries()) {
                queue.fail(
                        delivery,
                        "delivered " + deliveries + " times without completing (its consumers kept stopping)",
                        endpoint.retention());
                return;
            }
        }
        Exchange exchange = endpoint.createExchange();
        Map<String, Object> body;
        try {
            body = Json.readMap(job.body());
        } catch (IllegalArgumentException e) {
            queue.fail(delivery, "job body is not a JSON object: " + e.getMessage(), endpoint.retention());
            return;
        }
        exchange.getMessage().setBody(body);
        JobLog.begin(queue.name(), job.id(), body);
        try {
            queue.recordStarted(job);
            run(delivery, exchange);
        } finally {
            JobLog.end();
        }
    }

    private void run(Delivery delivery, Exchange exchange) {
        Job job = delivery.job();
        exchange.setProperty(QueueConstants.JOB_ID, job.id());
        exchange.setProperty(QueueConstants.JOB_QUEUE, queue.name());
        exchange.setProperty(QueueConstants.JOB_ATTEMPT, job.attempt());
        exchange.setProperty(QueueConstants.JOB_MAX_ATTEMPTS, endpoint.getMaxAttempts());
        exchange.setProperty(QueueConstants.JOB_LAST_ATTEMPT, job.attempt() >= endpoint.getMaxAttempts());
        exchange.setProperty(QueueConstants.JOB_PRIORITY, job.priority());
        exchange.setProperty(
                JobContext.PROPERTY,
                new JobContext(
                        queue.name(), job.id(), job.attempt(), endpoint.getMaxAttempts(), System.currentTimeMillis()));
        long started = System.nanoTime();
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        String outcome = settle(delivery, exchange);
        QueueMetrics metrics = endpoint.getComponent().metrics();
        if (metrics != null && outcome != null) {
            metrics.jobFinished(queue.name(), outcome, System.nanoTime() - started);
        }
    }

    /** Settles the job by how its run ended; returns that outcome (as the metrics name it), or null if unsettled. */
    private String settle(Delivery delivery, Exchange exchange) {
        Job job = delivery.job();
        try {
            Exception error = exchange.getException();
            Object failed = exchange.getProperty(QueueConstants.JOB_FAILED);
            if (failed != null) {
                queue.fail(delivery, failed.toString(), endpoint.retention());
                return "failed";
            } else if (error == null) {
                queue.recordCompleted(job);
                completed.add(delivery);
                return "completed";
            } else if (putBack(error) != null) {
                long delay = putBack(error).delayMillis();
                LOG.info(
                        "Queue {}: job {} put back for {} ms, attempt {} not used up ({})",
                        queue.name(),
                        job.id(),
                        delay,
                        job.attempt(),
                        error.getMessage());
                queue.retryLater(delivery, delay, false, error.getMessage());
                return "put_back";
            } else if (job.attempt() < endpoint.getMaxAttempts()) {
                Long asked = retryDelay(error);
                long delay = asked != null ? asked : endpoint.backoff().delayAfter(job.attempt());
                LOG.info(
                        "Queue {}: job {} attempt {} failed ({}); retry in {} ms",
                        queue.name(),
                        job.id(),
                        job.attempt(),
                        error.getMessage(),
                        delay);
                queue.retryLater(delivery, delay, true, String.valueOf(error.getMessage()));
                return "retried";
            } else {
                LOG.warn(
                        "Queue {}: job {} failed after {} attempts: {}",
                        queue.name(),
                        job.id(),
                        job.attempt(),
                        error.getMessage());
                queue.fail(delivery, String.valueOf(error.getMessage()), endpoint.retention());
                return "failed";
            }
        } catch (RuntimeException e) {
            // Redis is unreachable: the job stays pending and is delivered again after the visibility timeout.
            LOG.error(
                    "Queue {}: could not settle job {} ({}); it will be delivered again",
                    queue.name(),
                    job.id(),
                    e.getMessage());
            return null;
        }
    }

    /** The put-back the job's error is, or is caused by (a bean's exception may come wrapped); null if none. */
    private static JobPutBackException putBack(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JobPutBackException putBack) {
                return putBack;
            }
        }
        return null;
    }

    /** The retry delay the error asked for (e.g. a 429's retryAfterSec), in ms; null: the backoff's. */
    private static Long retryDelay(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RetryableException retryable && retryable.retryAfterMillis() != null) {
                return retryable.retryAfterMillis();
            }
        }
        return null;
    }

    /** Acknowledges completed jobs in batches: one script call for all that finished since the last call. */
    private void ackLoop() {
        List<Delivery> batch = new ArrayList<>();
        while (acking || !completed.isEmpty()) {
            try {
                Delivery first = completed.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                completed.drainTo(batch, 255);
                acknowledge(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void acknowledge(List<Delivery> batch) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                queue.completeAll(batch, endpoint.retention()).get(10, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn(
                        "Queue {}: acknowledging {} job(s) failed ({}); attempt {}",
                        queue.name(),
                        batch.size(),
                        e.getMessage(),
                        attempt);
                queue.forgetScripts();
                pause(200L * attempt);
            }
        }
        LOG.error(
                "Queue {}: {} completed job(s) could not be acknowledged; they will be delivered again",
                queue.name(),
                batch.size());
    }

    private void renewLeases() {
        try {
            if (!inFlight.isEmpty()) {
                queue.heartbeat(consumerName, new ArrayList<>(inFlight.values()));
            }
        } catch (RuntimeException e) {
            LOG.debug("Queue {}: lease renewal failed: {}", queue.name(), e.getMessage());
        }
    }

    private void promoteDelayed() {
        try {
            while (running && queue.promoteDue(100) == 100) {
                // more are due: keep moving
            }
        } catch (RuntimeException e) {
            LOG.debug("Queue {}: promoting delayed jobs failed: {}", queue.name(), e.getMessage());
        }
    }

    private void trim() {
        try {
            queue.trim(endpoint.retention());
        } catch (RuntimeException e) {
            LOG.debug("Queue {}: trimming failed: {}", queue.name(), e.getMessage());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
