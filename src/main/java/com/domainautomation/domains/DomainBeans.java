package com.domainautomation.domains;

import com.domainautomation.billing.Pricing;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutService;
import com.domainautomation.config.Settings;
import com.domainautomation.config.Wiring;
import com.domainautomation.registrar.RegistrarLookup;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import java.time.Duration;

/**
 * The domains feature's beans: the domains API, the renewal requests, the registration and renewal workers, and
 * {@link DomainJobs} (lease and settle) that every domain worker is built on.
 */
public final class DomainBeans {
    private DomainBeans() {}

    public static void bind(Wiring w) {
        Settings settings = w.settings();
        Db db = w.get(Db.class);
        AppClock clock = w.get(AppClock.class);
        WalletLedger ledger = w.get(WalletLedger.class);
        DomainRecords domains = w.keep(new DomainRecords(db));
        w.bind(new DomainsApi(domains, w.get(ActivityLog.class)));
        DomainJobs jobs = w.keep(new DomainJobs(
                db,
                w.get(CheckoutService.class),
                ledger,
                w.get(ActivityLog.class),
                clock,
                Duration.ofMillis(settings.getInt("registration.lease-ms"))));
        RegistrarLookup registrar = w.get(RegistrarLookup.class);
        w.bind(new RegistrationWorker(jobs, registrar));
        w.bind(new RenewalService(db, ledger, w.get(Pricing.class), domains, clock));
        w.bind(new RenewalWorker(jobs, registrar, settings.getInt("auto-renew.max-attempts")));
    }
}
