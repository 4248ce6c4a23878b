package com.domainautomation.billing;

import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.config.Wiring;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import io.micrometer.core.instrument.MeterRegistry;

/** The billing feature's API bean (the ledger and the prices are wired first, as every feature uses them). */
public final class BillingBeans {
    private BillingBeans() {}

    public static void bind(Wiring w) {
        w.bind(new WalletApi(
                w.get(Db.class),
                w.get(ClientDirectory.class),
                w.get(WalletLedger.class),
                w.settings().creditMaxMinor()));
        w.bind(new LedgerCheck(w.get(WalletLedger.class), w.get(AppClock.class), w.get(MeterRegistry.class)));
    }
}
