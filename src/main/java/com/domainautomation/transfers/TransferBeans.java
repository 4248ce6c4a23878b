package com.domainautomation.transfers;

import com.domainautomation.billing.Pricing;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.config.Wiring;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import java.time.Duration;

/** The transfers feature's beans: the transfer requests and the worker that follows them. */
public final class TransferBeans {
    private TransferBeans() {}

    public static void bind(Wiring w) {
        w.bind(new TransferService(
                w.get(Db.class),
                w.get(WalletLedger.class),
                w.get(Pricing.class),
                w.get(AppClock.class),
                w.settings().agreementKeys()));
        w.bind(new TransferWorker(
                w.get(DomainJobs.class), Duration.ofMillis(w.settings().getInt("transfer.check-interval-ms"))));
    }
}
