package com.domainautomation.recovery;

import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutService;
import com.domainautomation.queue.JobRequest;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds work a crash left half done and completes or compensates it: pending ledger entries, orders charged but not
 * completed (or never charged), registration jobs never queued. Safe to run on every instance at once: each repair
 * is idempotent.
 */
public class RecoverySweeper {
    private static final Logger LOG = LoggerFactory.getLogger(RecoverySweeper.class);

    private final WalletLedger ledger;
    private final CheckoutService checkout;
    private final Duration grace;

    public RecoverySweeper(WalletLedger ledger, CheckoutService checkout, Duration grace) {
        this.ledger = ledger;
        this.checkout = checkout;
        this.grace = grace;
    }

    /** Returns the registration jobs to (re)queue. */
    public List<JobRequest> sweep() {
        int ledgerEntries = ledger.resolveStale(grace);
        List<JobRequest> jobs = checkout.recover(grace);
        if (ledgerEntries > 0 || !jobs.isEmpty()) {
            LOG.warn(
                    "Recovery: settled {} pending ledger entr(ies), re-queueing {} registration(s)",
                    ledgerEntries,
                    jobs.size());
        }
        return jobs;
    }
}
