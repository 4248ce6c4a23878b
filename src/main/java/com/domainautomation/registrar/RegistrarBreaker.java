package com.domainautomation.registrar;

import com.domainautomation.queue.QueueConstants;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one circuit breaker around every registrar call (used by the {@code circuitBreaker} EIP in
 * registrar-shared). When the registrar keeps failing (429/5xx/timeouts) it opens: calls stop for a while and jobs
 * are put back with that delay, without using up their attempts; it closes by itself once a trial call succeeds.
 * Every state change is logged.
 */
public class RegistrarBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarBreaker.class);

    private static final String HELD_BACK = "registrarCallHeldBack";
    private final CircuitBreaker breaker;
    private final Duration open;

    public RegistrarBreaker(int failureRatePercent, int windowCalls, int minimumCalls, Duration open) {
        this(failureRatePercent, windowCalls, minimumCalls, open, (state, detail) -> {});
    }

    /** {@code onChange} hears every state change (the app writes it to the activity log). */
    public RegistrarBreaker(
            int failureRatePercent,
            int windowCalls,
            int minimumCalls,
            Duration open,
            java.util.function.BiConsumer<String, String> onChange) {
        this.open = open;
        this.breaker = CircuitBreaker.of(
                "registrar",
                CircuitBreakerConfig.custom()
                        .failureRateThreshold(failureRatePercent)
                        .slidingWindowSize(windowCalls)
                        .minimumNumberOfCalls(minimumCalls)
                        .waitDurationInOpenState(open)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN ->
                    LOG.warn(
                            "Registrar circuit breaker OPEN: the registrar keeps failing; calls pause for {} s",
                            open.toSeconds());
                case HALF_OPEN -> LOG.info("Registrar circuit breaker HALF_OPEN: trying the registrar again");
                case CLOSED -> LOG.info("Registrar circuit breaker CLOSED: the registrar answers again");
                default -> LOG.info("Registrar circuit breaker {}", event.getStateTransition());
            }
            try {
                onChange.accept(
                        event.getStateTransition().getToState().name(),
                        event.getStateTransition().toString());
            } catch (RuntimeException e) {
                LOG.warn("Could not record the breaker's state change: {}", e.getMessage());
            }
        });
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public String state() {
        return breaker.getState().name();
    }

    /**
     * Fallback step: a call that failed keeps its own error; a call the open breaker held back is only marked here,
     * and {@link #refuseIfOpen} (the step after the breaker) turns it into a retry that does not use up an attempt.
     * (An exception thrown from the fallback of a short-circuited call bypasses the route's onException policies.)
     */
    public void fallback(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null && breaker.getState() != CircuitBreaker.State.CLOSED) {
            // this failure opened the breaker, or was the trial call while half open: not the job's fault either
            exchange.setProperty(QueueConstants.JOB_RETRY_DELAY, open.toMillis());
            exchange.setProperty(QueueConstants.JOB_RETRY_KEEP_ATTEMPT, true);
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        exchange.setProperty(HELD_BACK, true);
    }

    public void refuseIfOpen(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.removeProperty(HELD_BACK))) {
            exchange.setProperty(QueueConstants.JOB_RETRY_DELAY, open.toMillis());
            exchange.setProperty(QueueConstants.JOB_RETRY_KEEP_ATTEMPT, true);
            throw new RegistrarCircuitOpenException(
                    "registrar circuit breaker is open; trying again in " + open.toSeconds() + " s");
        }
    }
}
