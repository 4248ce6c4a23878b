package com.domainautomation.billing;

import com.domainautomation.support.AppClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's verification on a schedule (the {@code ledger-check-cron} route), its last result in Prometheus: {@code
 * da_ledger_balanced} (1 when every wallet equals its ledger), {@code da_ledger_charges_settled} (1 when every settled
 * charge has its outcome), {@code da_ledger_last_check_timestamp_seconds}. A scrape never runs it (it reads every
 * client's ledger); before the first check the values are NaN.
 */
public class LedgerCheck {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerCheck.class);

    private final WalletLedger ledger;
    private final AppClock clock;
    private volatile double balanced = Double.NaN;
    private volatile double chargesSettled = Double.NaN;
    private volatile double checkedAt = Double.NaN;

    public LedgerCheck(WalletLedger ledger, AppClock clock, MeterRegistry registry) {
        this.ledger = ledger;
        this.clock = clock;
        Gauge.builder("da_ledger_balanced", this, c -> c.balanced)
                .description("1 when every wallet equalled its ledger at the last check, else 0")
                .register(registry);
        Gauge.builder("da_ledger_charges_settled", this, c -> c.chargesSettled)
                .description("1 when every settled charge had its outcome at the last check, else 0")
                .register(registry);
        Gauge.builder("da_ledger_last_check_timestamp_seconds", this, c -> c.checkedAt)
                .description("When the ledger was last verified")
                .register(registry);
    }

    /** Verifies every client's ledger now; a failed verification is logged at ERROR. */
    public void run() {
        List<Map<String, Object>> report = ledger.verify();
        boolean ok = report.stream().allMatch(c -> Boolean.TRUE.equals(c.get("balanced")));
        boolean settled = report.stream().allMatch(c -> Boolean.TRUE.equals(c.get("everyChargeHasOutcome")));
        balanced = ok ? 1 : 0;
        chargesSettled = settled ? 1 : 0;
        checkedAt = clock.now().toEpochMilli() / 1000.0;
        if (!ok || !settled) {
            LOG.error(
                    "Ledger check: {} of {} client(s) do not verify (balanced: {}, every charge has its outcome: {})",
                    report.stream()
                            .filter(c -> !Boolean.TRUE.equals(c.get("balanced"))
                                    || !Boolean.TRUE.equals(c.get("everyChargeHasOutcome")))
                            .count(),
                    report.size(),
                    ok,
                    settled);
        }
    }
}
