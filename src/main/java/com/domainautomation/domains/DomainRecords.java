package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.billing.Money;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.Db;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Domain documents (the seed's Domain model) and their API view. Field names follow the seed: {@code userId} is
 * the owning client, {@code registrationPeriod} the years bought, {@code privacyProtection} WHOIS privacy.
 */
public class DomainRecords {
    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";

    private static final List<String> VIEW_FIELDS = List.of(
            "status",
            "registrationPeriod",
            "privacyProtection",
            "autoRenew",
            "autoRenewAttempts",
            "registeredAt",
            "expiresAt",
            "lastExpiryReminderAt",
            "lastExpiryReminderDays",
            "lastRenewalAt",
            "lastDnsUpdateAt",
            "transferStatus",
            "transferLastChecked",
            "transferNeedsAttention",
            "transferFailureReason",
            "failureReason",
            "orderId",
            "createdAt",
            "updatedAt");

    private final Db db;

    public DomainRecords(Db db) {
        this.db = db;
    }

    public Document find(String domainId) {
        return db.get(Db.DOMAINS).find(eq("_id", domainId)).first();
    }

    /** The client's newest record of that name; another client's domain is "not found". */
    public Document requireOwned(String clientId, String name) {
        String ascii;
        try {
            ascii = com.domainautomation.checkout.DomainName.parse(name).ascii();
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Domain " + name);
        }
        Document domain = db.get(Db.DOMAINS)
                .find(and(eq("name", ascii), eq("userId", clientId)))
                .sort(Sorts.descending("createdAt"))
                .first();
        if (domain == null) {
            throw ApiException.notFound("Domain " + name);
        }
        return domain;
    }

    /** Switches auto-renew on (with a fresh count of failed attempts) or off; returns the domain as it is now. */
    public Document setAutoRenew(Document domain, boolean on) {
        List<Bson> changes =
                new ArrayList<>(List.of(Updates.set("autoRenew", on), Updates.set("updatedAt", new Date())));
        if (on) {
            changes.add(Updates.set("autoRenewAttempts", 0));
            changes.add(Updates.unset("autoRenewDisabledAt"));
        }
        db.get(Db.DOMAINS).updateOne(eq("_id", domain.getString("_id")), Updates.combine(changes));
        return find(domain.getString("_id"));
    }

    public List<Map<String, Object>> listOwned(String clientId) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (Document domain : db.get(Db.DOMAINS).find(eq("userId", clientId)).sort(Sorts.descending("createdAt"))) {
            views.add(view(domain));
        }
        return views;
    }

    public static Map<String, Object> view(Document domain) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", domain.getString("_id"));
        view.put("domain", domain.getString("name"));
        view.put("unicodeDomain", domain.getString("unicodeName"));
        for (String field : VIEW_FIELDS) {
            Object value = domain.get(field);
            view.put(field, value instanceof Date date ? date.toInstant() : value);
        }
        view.put("price", Money.format(domain.getLong("price")));
        view.put("currency", domain.getString("currency"));
        return view;
    }

    /**
     * Counts one failed auto-renew attempt of the domain, once: only when the count is still {@code attempt}. At
     * {@code maxAttempts} auto-renew is switched off. Used by the auto-renew cron (short of funds) and the renewal
     * worker (the registrar refused an automatic renewal).
     */
    public static boolean countFailedAutoRenewal(Db db, String domainId, int attempt, int maxAttempts, Date now) {
        List<Bson> changes = new ArrayList<>(List.of(
                Updates.inc("autoRenewAttempts", 1),
                Updates.set("lastAutoRenewFailureAt", now),
                Updates.set("updatedAt", now)));
        if (attempt + 1 >= maxAttempts) {
            changes.add(Updates.set("autoRenew", false));
            changes.add(Updates.set("autoRenewDisabledAt", now));
        }
        return db.get(Db.DOMAINS)
                        .updateOne(and(eq("_id", domainId), eq("autoRenewAttempts", attempt)), Updates.combine(changes))
                        .getModifiedCount()
                == 1;
    }
}
