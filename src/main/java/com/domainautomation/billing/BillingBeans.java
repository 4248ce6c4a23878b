package com.domainautomation.billing;

import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.config.Wiring;
import com.domainautomation.support.Db;

/** The billing feature's API bean (the ledger and the prices are wired first, as every feature uses them). */
public final class BillingBeans {
    private BillingBeans() {}

    public static void bind(Wiring w) {
        w.bind(new WalletApi(
                w.get(Db.class),
                w.get(ClientDirectory.class),
                w.get(WalletLedger.class),
                w.settings().creditMaxMinor()));
    }
}
