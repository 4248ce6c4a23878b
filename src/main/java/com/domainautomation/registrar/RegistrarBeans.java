package com.domainautomation.registrar;

import com.domainautomation.config.Settings;
import com.domainautomation.config.Wiring;
import com.domainautomation.domains.ActivityLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.camel.main.Main;

/** The registrar feature's beans: GoDaddy requests and responses, the credentials, the breaker, the lookup. */
public final class RegistrarBeans {
    private RegistrarBeans() {}

    public static void bind(Wiring w, Main main) {
        Settings settings = w.settings();
        ActivityLog activity = w.get(ActivityLog.class);
        RegistrarBreaker breaker = w.bind(new RegistrarBreaker(
                settings.getInt("registrar.breaker.failure-rate-percent"),
                settings.getInt("registrar.breaker.window-calls"),
                settings.getInt("registrar.breaker.minimum-calls"),
                Duration.ofMillis(settings.getInt("registrar.breaker.open-ms")),
                (state, detail) -> activity.recordSystem("registrar-breaker", state, detail)));
        // the circuit breaker EIP of the registrar routes finds it by this name
        w.bind("registrarCircuitBreaker", breaker.breaker());
        w.bind(new RegistrarMetrics(w.get(MeterRegistry.class), breaker));
        w.bind(new GoDaddyRequests());
        w.bind(new GoDaddyResponses());
        w.bind(new RegistrarCredentials(settings.get("godaddy.api.key"), settings.get("godaddy.api.secret")));
        w.keep(new RegistrarLookup(main::getCamelContext));
    }
}
