package com.domainautomation.domains;

import com.domainautomation.billing.Money;
import com.domainautomation.queue.QueueConstants;
import com.domainautomation.registrar.RegistrarRejectedException;
import com.domainautomation.support.RetryableException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;

/** What every domain worker needs: failure reasons, the owner's email job, job references for the activity log. */
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

    public static Map<String, Object> emailData(Document domain) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(
                "domain",
                domain.getString("unicodeName") != null ? domain.getString("unicodeName") : domain.getString("name"));
        data.put("asciiDomain", domain.getString("name"));
        data.put("years", domain.getInteger("registrationPeriod"));
        data.put("privacy", domain.getBoolean("privacyProtection", false));
        data.put("autoRenew", domain.getBoolean("autoRenew", false));
        data.put("price", Money.format(domain.getLong("price")));
        data.put("currency", domain.getString("currency"));
        return data;
    }

    public static void setEmail(Exchange exchange, String type, Document domain, Map<String, Object> data) {
        Map<String, Object> email = new LinkedHashMap<>();
        email.put("type", type);
        email.put("clientId", domain.getString("userId"));
        email.put("domainId", domain.getString("_id"));
        email.put("data", data);
        exchange.getMessage().setBody(email);
        exchange.getMessage().removeHeader(QueueConstants.HEADER_JOB_DELAY);
        exchange.getMessage().setHeader(QueueConstants.HEADER_JOB_ID, "email:" + type + ":" + domain.getString("_id"));
    }

    public static String jobRef(Exchange exchange) {
        return exchange.getProperty(QueueConstants.JOB_QUEUE) + "/" + exchange.getProperty(QueueConstants.JOB_ID) + "#"
                + exchange.getProperty(QueueConstants.JOB_ATTEMPT);
    }

    public static Long elapsed(Exchange exchange) {
        Long started = exchange.getProperty("startedAt", Long.class);
        return started == null ? null : System.currentTimeMillis() - started;
    }
}
