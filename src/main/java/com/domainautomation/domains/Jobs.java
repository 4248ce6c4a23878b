package com.domainautomation.domains;

import com.domainautomation.billing.Money;
import com.domainautomation.registrar.RegistrarRejectedException;
import com.domainautomation.support.RetryableException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every domain worker's emails need: the failure reason in words, and the domain's part of the email data. */
public final class Jobs {
    private Jobs() {}

    public static String reason(Exception cause) {
        if (cause instanceof RegistrarRejectedException rejected) {
            return "The registrar refused it (" + rejected.code() + "): "
                    + rejected.getMessage().substring(rejected.code().length() + 2);
        }
        if (cause instanceof RetryableException) {
            return "The registrar could not be reached after several attempts (" + cause.getMessage() + ")";
        }
        return cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    public static Map<String, Object> emailData(Domain domain) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("domain", domain.displayName());
        data.put("asciiDomain", domain.name());
        data.put("years", domain.registrationPeriod());
        data.put("privacy", domain.privacyProtection());
        data.put("autoRenew", domain.autoRenew());
        data.put("price", Money.format(domain.price()));
        data.put("currency", domain.currency());
        return data;
    }
}
