package com.domainautomation.queue;

import com.domainautomation.support.Json;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
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
 * <p>One reader thread takes as many jobs from the stream as there are free workers. A job is acknowledged
 * only after its route completed. When the route fails, the job waits in the delayed set for its backoff
 * (no thread waits) and comes back as its next attempt; after the last attempt, or when a dead-letter route
 * marked it {@link QueueConstants#JOB_FAILED}, it goes to the failed set. Leases of jobs in flight are renewed,
 * and jobs whose consumer died are claimed again after {@code visibilityTimeout}.
 */
class RedisQueueConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueueConsumer.class);
    private static final Duration BLOCK = Duration.ofMillis(500);

    private final RedisQueueEndpoint endpoint;
    private final RedisJobQueue queue;
    private final String consumerName;
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private Semaphore slots;
    private ExecutorService workers;
    private ScheduledExecutorService timers;
    private Thread reader;
    private StatefulRedisConnection<String, String> blockingConnection;
    private volatile boolean running;
    private volatile long nextReclaim;

    RedisQueueConsumer(RedisQueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.queue = endpoint.getQueue();
        this.consumerName = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        queue.ensureGroup();
        int concurrency = endpoint.getConcurrentConsumers();
        slots = new Semaphore(concurrency);
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        workers = executors.newFixedThreadPool(this, "redisqueue-" + queue.name(), concurrency);
        timers = executors.newScheduledThreadPool(this, "redisqueue-" + queue.name() + "-timers", 1);
        long heartbeat = Math.max(50, endpoint.getVisibilityTimeout() / 3);
        timers.scheduleWithFixedDelay(this::renewLeases, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::promoteDelayed, 50, 50, TimeUnit.MILLISECONDS);
        blockingConnection = endpoint.getComponent().newConnection();
        running = true;
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
                LOG.warn("Queue {}: {} job(s) still running after {} ms; they will be delivered again", queue.name(),
                        inFlight.size(), endpoint.getShutdownTimeout());
                workers.shutdownNow();
            }
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (blockingConnection != null) {
            blockingConnection.close();
        }
        super.doStop();
    }

    private void readLoop() {
        var blocking = blockingConnection.sync();
        while (running) {
            int taken = 0;
            try {
                if (!slots.tryAcquire(BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                taken = 1 + drainSlots();
                List<StreamMessage<String, String>> messages;
                boolean reclaimed = System.currentTimeMillis() >= nextReclaim;
                if (reclaimed) {
                    nextReclaim = System.currentTimeMillis() + Math.max(100, endpoint.getVisibilityTimeout() / 2);
                    messages = queue.reclaim(consumerName, Duration.ofMillis(endpoint.getVisibilityTimeout()), taken);
                } else {
                    messages = queue.read(blocking, consumerName, taken, BLOCK);
                }
                for (StreamMessage<String, String> message : messages) {
                    taken--;
                    dispatch(message, reclaimed);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Queue {}: reading failed ({}); trying again in 1 s", queue.name(), e.getMessage());
                    sleepQuietly(1000);
                }
            } finally {
                if (taken > 0) {
                    slots.release(taken);
                }
            }
        }
    }

    private int drainSlots() {
        int extra = 0;
        while (extra < 63 && slots.tryAcquire()) {
            extra++;
        }
        return extra;
    }

    private void dispatch(StreamMessage<String, String> message, boolean reclaimed) {
        inFlight.put(message.getId(), Boolean.TRUE);
        try {
            workers.execute(() -> {
                try {
                    process(message, reclaimed);
                } finally {
                    inFlight.remove(message.getId());
                    slots.release();
                }
            });
        } catch (RuntimeException rejected) {
            inFlight.remove(message.getId());
            slots.release();
            throw rejected;
        }
    }

    private void process(StreamMessage<String, String> message, boolean reclaimed) {
        Job job = Job.fromFields(message.getBody());
        if (reclaimed) {
            long deliveries = queue.deliveryCount(message.getId());
            LOG.warn("Queue {}: job {} was held by a consumer that stopped; delivering it again (delivery {})",
                    queue.name(), job.id(), deliveries);
            if (deliveries > endpoint.getMaxDeliveries()) {
                queue.fail(message.getId(), job, "delivered " + deliveries + " times without completing");
                return;
            }
        }
        Exchange exchange = endpoint.createExchange();
        try {
            exchange.getMessage().setBody(Json.readMap(job.body()));
        } catch (IllegalArgumentException e) {
            queue.fail(message.getId(), job, "job body is not a JSON object: " + e.getMessage());
            return;
        }
        exchange.setProperty(QueueConstants.JOB_ID, job.id());
        exchange.setProperty(QueueConstants.JOB_QUEUE, queue.name());
        exchange.setProperty(QueueConstants.JOB_ATTEMPT, job.attempt());
        exchange.setProperty(QueueConstants.JOB_MAX_ATTEMPTS, endpoint.getMaxAttempts());
        exchange.setProperty(QueueConstants.JOB_LAST_ATTEMPT, job.attempt() >= endpoint.getMaxAttempts());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        settle(message.getId(), job, exchange);
    }

    private void settle(String messageId, Job job, Exchange exchange) {
        try {
            Exception error = exchange.getException();
            Object failed = exchange.getProperty(QueueConstants.JOB_FAILED);
            if (failed != null) {
                queue.fail(messageId, job, failed.toString());
            } else if (error == null) {
                queue.complete(messageId);
            } else if (job.attempt() < endpoint.getMaxAttempts()) {
                long delay = endpoint.backoff().delayAfter(job.attempt());
                LOG.info("Queue {}: job {} attempt {} failed ({}); retry in {} ms", queue.name(), job.id(), job.attempt(),
                        error.getMessage(), delay);
                queue.retryLater(messageId, job.nextAttempt(), delay);
            } else {
                LOG.warn("Queue {}: job {} failed after {} attempts: {}", queue.name(), job.id(), job.attempt(), error.getMessage());
                queue.fail(messageId, job, String.valueOf(error.getMessage()));
            }
        } catch (RuntimeException e) {
            // Redis is unreachable: the job stays pending and is delivered again after the visibility timeout.
            LOG.error("Queue {}: could not settle job {} ({}); it will be delivered again", queue.name(), job.id(), e.getMessage());
        }
    }

    private void renewLeases() {
        try {
            queue.heartbeat(consumerName, new ArrayList<>(inFlight.keySet()));
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

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
