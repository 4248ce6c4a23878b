package com.domainautomation.domains;

import com.domainautomation.support.Requests;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** A client's domains; another client's domain answers 404, like one that does not exist. */
public class DomainsApi {
    private final DomainRecords domains;
    private final ActivityLog activity;

    public DomainsApi(DomainRecords domains, ActivityLog activity) {
        this.domains = domains;
        this.activity = activity;
    }

    /** The owner's view of a domain's history, newest first. */
    public List<Map<String, Object>> activity(Exchange exchange) {
        String clientId = exchange.getProperty("clientId", String.class);
        org.bson.Document domain =
                domains.requireOwned(clientId, exchange.getMessage().getHeader("domain", String.class));
        com.domainautomation.support.Requests.rejectUnknownQuery(exchange, java.util.Set.of("limit"));
        return activity.recent(domain.getString("name"), clientId, limit(exchange));
    }

    /** Admin: the activity log, newest first, optionally for one domain ({@code ?domain=&limit=}). */
    public List<Map<String, Object>> allActivity(Exchange exchange) {
        com.domainautomation.support.Requests.rejectUnknownQuery(exchange, java.util.Set.of("domain", "limit"));
        String domain = exchange.getMessage().getHeader("domain", String.class);
        String ascii = null;
        if (domain != null && !domain.isBlank()) {
            try {
                ascii = com.domainautomation.checkout.DomainName.parse(domain).ascii();
            } catch (IllegalArgumentException e) {
                throw com.domainautomation.support.ApiException.badRequest("domain " + e.getMessage(), List.of());
            }
        }
        return activity.recent(ascii, null, limit(exchange));
    }

    private static int limit(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("limit", String.class);
        if (raw == null || raw.isBlank()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw com.domainautomation.support.ApiException.badRequest(
                "limit must be a whole number from 1 to 1000",
                List.of(Map.of("field", "limit", "message", "from 1 to 1000")));
    }

    public List<Map<String, Object>> list(Exchange exchange) {
        return domains.listOwned(exchange.getProperty("clientId", String.class));
    }

    /**
     * {@code PATCH /api/domains/{domain} {"autoRenew": true|false}}. Switching auto-renew on starts its failed-attempt
     * count over (the cron switched it off after too many).
     */
    public Map<String, Object> patch(Exchange exchange) {
        String clientId = exchange.getProperty("clientId", String.class);
        org.bson.Document domain =
                domains.requireOwned(clientId, exchange.getMessage().getHeader("domain", String.class));
        Map<String, Object> body = Requests.jsonObject(exchange, "{\"autoRenew\": true}");
        List<Map<String, Object>> problems = new java.util.ArrayList<>();
        for (String field : body.keySet()) {
            if (!"autoRenew".equals(field)) {
                problems.add(Map.of("field", field, "message", "cannot be changed here (only autoRenew can)"));
            }
        }
        if (!(body.get("autoRenew") instanceof Boolean)) {
            problems.add(Map.of("field", "autoRenew", "message", "is required: true or false"));
        }
        if (!problems.isEmpty()) {
            throw com.domainautomation.support.ApiException.badRequest(
                    "The change is not valid: " + problems.size() + " problem(s)", problems);
        }
        return DomainRecords.view(domains.setAutoRenew(domain, (Boolean) body.get("autoRenew")));
    }

    public Map<String, Object> get(Exchange exchange) {
        String name = exchange.getMessage().getHeader("domain", String.class);
        return DomainRecords.view(domains.requireOwned(exchange.getProperty("clientId", String.class), name));
    }
}
