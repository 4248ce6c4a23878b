package com.domainautomation.checkout;

import com.domainautomation.billing.Pricing;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.config.Wiring;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;

/** The checkout feature's bean. */
public final class CheckoutBeans {
    private CheckoutBeans() {}

    public static void bind(Wiring w) {
        w.bind(new CheckoutService(
                w.get(Db.class),
                w.get(WalletLedger.class),
                new CheckoutValidator(w.get(Pricing.class)),
                w.get(AppClock.class),
                w.settings().agreementKeys()));
    }
}
