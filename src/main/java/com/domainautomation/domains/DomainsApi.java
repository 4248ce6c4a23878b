package com.domainautomation.domains;

import com.domainautomation.checkout.DomainName;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/** A client's domains; another client's domain answers 404, like one that does not exist. */
public class DomainsApi {
    private final DomainRecords domains;
    private final ActivityLog activity;

    public DomainsApi(DomainRecords domains, ActivityLog activity) {
        this.domains = domains;
        this.activity = activity;
    }

    /** The owner's view of a domain's history, newest first ({@code ?limit=}). */
    public List<Map<String, Object>> activity(
            @ExchangeProperty("clientId") String clientId,
            @Header("domain") String name,
            @Header("limit") String limit) {
        return activity.recent(domains.requireOwned(clientId, name).name(), clientId, Requests.limit(limit));
    }

    /** Admin: the activity log, newest first, optionally for one domain ({@code ?domain=&limit=}). */
    public List<Map<String, Object>> allActivity(@Header("domain") String domain, @Header("limit") String limit) {
        String ascii = null;
        if (domain != null && !domain.isBlank()) {
            try {
                ascii = DomainName.parse(domain).ascii();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("domain " + e.getMessage(), List.of());
            }
        }
        return activity.recent(ascii, null, Requests.limit(limit));
    }

    public List<Map<String, Object>> list(@ExchangeProperty("clientId") String clientId) {
        return domains.listOwned(clientId);
    }

    /**
     * {@code PATCH /api/domains/{domain} {"autoRenew": true|false}}. Switching auto-renew on starts its failed-attempt
     * count over (the cron switched it off after too many).
     */
    public Map<String, Object> patch(
            @ExchangeProperty("clientId") String clientId, @Header("domain") String name, @Body JsonRequest request) {
        Domain domain = domains.requireOwned(clientId, name);
        Map<String, Object> body = Requests.jsonObject(request, "{\"autoRenew\": true}");
        List<Map<String, Object>> problems = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!"autoRenew".equals(field)) {
                problems.add(Map.of("field", field, "message", "cannot be changed here (only autoRenew can)"));
            }
        }
        if (!(body.get("autoRenew") instanceof Boolean)) {
            problems.add(Map.of("field", "autoRenew", "message", "is required: true or false"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("The change is not valid: " + problems.size() + " problem(s)", problems);
        }
        return DomainRecords.view(domains.setAutoRenew(domain, (Boolean) body.get("autoRenew")));
    }

    public Map<String, Object> get(@ExchangeProperty("clientId") String clientId, @Header("domain") String name) {
        return DomainRecords.view(domains.requireOwned(clientId, name));
    }
}
