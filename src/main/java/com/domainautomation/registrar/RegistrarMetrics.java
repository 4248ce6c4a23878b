package com.domainautomation.registrar;

import com.domainautomation.support.HttpCall;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Registrar calls in Prometheus: {@code da_registrar_calls} (a timer: count and latency by operation and HTTP status,
 * {@code error} for a call that got no answer) and {@code da_registrar_breaker_state} (1 for the breaker's state now).
 * The steps of {@code registrar-shared-call} report each call: {@link #startedAt} before it, {@link #answered} after an
 * answer, {@link #failed} in the breaker's fallback.
 */
public class RegistrarMetrics {
    public static final String STARTED = "registrarCallStartedAt";
    public static final String MEASURED = "registrarCallMeasured";

    private final MeterRegistry registry;

    public RegistrarMetrics(MeterRegistry registry, RegistrarBreaker breaker) {
        this.registry = registry;
        for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
            Gauge.builder("da_registrar_breaker_state", breaker, b -> b.state().equals(state) ? 1 : 0)
                    .description("1 for the registrar circuit breaker's state now (closed, open, half_open)")
                    .tag("state", state.toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /** The call's start (a route step sets it as {@value #STARTED}). */
    public long startedAt() {
        return System.nanoTime();
    }

    /** An answer came (any status): counted with its latency; returns true for {@value #MEASURED}. */
    public boolean answered(
            @ExchangeProperty(HttpCall.PROPERTY) HttpCall call,
            @Header(Exchange.HTTP_RESPONSE_CODE) Integer status,
            @ExchangeProperty(STARTED) Long startedAt) {
        record(call, status == null ? "error" : status.toString(), startedAt);
        return true;
    }

    /**
     * The breaker's fallback: a call that got no answer (a timeout, a refused connection) is counted as {@code error};
     * one already counted with its answer, or held back by the open breaker (no call made), is not.
     */
    public void failed(
            @ExchangeProperty(HttpCall.PROPERTY) HttpCall call,
            @ExchangeProperty(STARTED) Long startedAt,
            @ExchangeProperty(MEASURED) Boolean measured,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        if (Boolean.TRUE.equals(measured) || failure instanceof CallNotPermittedException) {
            return;
        }
        record(call, "error", startedAt);
    }

    private void record(HttpCall call, String status, Long startedAt) {
        if (call == null || startedAt == null) {
            return;
        }
        Timer.builder("da_registrar_calls")
                .description("Calls to the registrar by operation and HTTP status (error: no answer), with latency")
                .tags("operation", operation(call.method(), call.path()), "status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - startedAt));
    }

    /**
     * The operation a call is, named by its method and its path with the domain left out: {@code purchase}, {@code
     * available}, {@code get_domain}, {@code update_domain}, {@code renew}, {@code transfer}, {@code get_records},
     * {@code put_records}, ... (a few fixed names, never a domain, so the label stays small).
     */
    static String operation(String method, String path) {
        String verb = method == null ? "call" : method.toLowerCase(Locale.ROOT);
        String[] parts = (path == null ? "" : path.replaceFirst("\\?.*", "")).split("/");
        // "", "v1", "domains", then the domain or a fixed word, then what is asked of that domain
        if (parts.length < 4 || !"domains".equals(parts[2])) {
            return verb + "_other";
        }
        if (parts.length == 4) {
            return switch (parts[3]) {
                case "purchase", "available", "agreements" -> parts[3];
                default ->
                    verb.equals("get") ? "get_domain" : verb.equals("patch") ? "update_domain" : verb + "_domain";
            };
        }
        return switch (parts[4]) {
            case "renew", "transfer" -> parts[4];
            case "records" -> verb + "_records";
            default -> verb + "_other";
        };
    }
}
