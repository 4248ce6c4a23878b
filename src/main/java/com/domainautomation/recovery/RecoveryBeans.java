package com.domainautomation.recovery;

import com.domainautomation.billing.WalletLedger;
import com.domainautomation.checkout.CheckoutService;
import com.domainautomation.config.Wiring;
import java.time.Duration;

/** The recovery feature's bean: the sweeper that finishes or compensates half-done work. */
public final class RecoveryBeans {
    private RecoveryBeans() {}

    public static void bind(Wiring w) {
        w.bind(new RecoverySweeper(
                w.get(WalletLedger.class),
                w.get(CheckoutService.class),
                Duration.ofMillis(w.settings().getInt("recovery.grace-ms"))));
    }
}
