package com.domainautomation.queue;

import com.domainautomation.support.Ids;
import com.domainautomation.support.Json;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Adds the exchange body (JSON text, or anything Jackson can write) as one job; returns once Redis has it. */
class RedisQueueProducer extends DefaultProducer {
    private final RedisQueueEndpoint endpoint;

    RedisQueueProducer(RedisQueueEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        String json = body instanceof String text ? text : Json.write(body);
        String id = exchange.getMessage().getHeader(QueueConstants.HEADER_JOB_ID, String.class);
        Long delay = exchange.getMessage().getHeader(QueueConstants.HEADER_JOB_DELAY, Long.class);
        Job job = new Job(id != null ? id : Ids.newId("job"), json, 1, System.currentTimeMillis());
        endpoint.getQueue().enqueue(job, delay == null ? 0 : delay);
    }
}
