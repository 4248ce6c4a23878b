package com.domainautomation.registrar;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
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

    static final String HELD_BACK = "registrarCallHeldBack";
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
     * Fallback step, with the call's failure (null when the open breaker held the call back): a call held back is
     * only marked here (the property {@value #HELD_BACK}: true), and {@link #refuseIfOpen} (the step after the breaker)
     * turns it into a retry that does not use up an attempt. (An exception thrown from the fallback of a
     * short-circuited call bypasses the route's onException policies.) A call that failed keeps its own error; if it
     * opened the breaker, or was the trial call while half open, it is not the job's fault either: put back.
     */
    public boolean fallback(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) throws Exception {
        if (failure != null && breaker.getState() != CircuitBreaker.State.CLOSED) {
            throw new RegistrarCircuitOpenException(
                    "the registrar failed (" + failure.getMessage() + ") and its circuit breaker is "
                            + breaker.getState() + "; trying again in " + open.toSeconds() + " s",
                    open.toMillis(),
                    failure);
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return true;
    }

    public void refuseIfOpen(@ExchangeProperty(HELD_BACK) Boolean heldBack) {
        if (Boolean.TRUE.equals(heldBack)) {
            throw new RegistrarCircuitOpenException(
                    "registrar circuit breaker is open; trying again in " + open.toSeconds() + " s", open.toMillis());
        }
    }
}
