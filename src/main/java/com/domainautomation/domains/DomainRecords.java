package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.billing.Money;
import com.domainautomation.checkout.DomainName;
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

/** The domains a client owns, as {@link Domain}s, and their API view. */
public class DomainRecords {
    private final Db db;

    public DomainRecords(Db db) {
        this.db = db;
    }

    public Domain find(String domainId) {
        return Domain.of(db.get(Db.DOMAINS).find(eq("_id", domainId)).first());
    }

    /** The client's newest record of that name; another client's domain is "not found". */
    public Domain requireOwned(String clientId, String name) {
        String ascii;
        try {
            ascii = DomainName.parse(name).ascii();
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Domain " + name);
        }
        Domain domain = Domain.of(db.get(Db.DOMAINS)
                .find(and(eq("name", ascii), eq(Domain.OWNER_FIELD, clientId)))
                .sort(Sorts.descending("createdAt"))
                .first());
        if (domain == null) {
            throw ApiException.notFound("Domain " + name);
        }
        return domain;
    }

    /** Switches auto-renew on (with a fresh count of failed attempts) or off; returns the domain as it is now. */
    public Domain setAutoRenew(Domain domain, boolean on) {
        List<Bson> changes =
                new ArrayList<>(List.of(Updates.set("autoRenew", on), Updates.set("updatedAt", new Date())));
        if (on) {
            changes.add(Updates.set("autoRenewAttempts", 0));
            changes.add(Updates.unset("autoRenewDisabledAt"));
        }
        db.get(Db.DOMAINS).updateOne(eq("_id", domain.id()), Updates.combine(changes));
        return find(domain.id());
    }

    public List<Map<String, Object>> listOwned(String clientId) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (Document domain :
                db.get(Db.DOMAINS).find(eq(Domain.OWNER_FIELD, clientId)).sort(Sorts.descending("createdAt"))) {
            views.add(view(Domain.of(domain)));
        }
        return views;
    }

    /** The API's view of a domain: the owner's fields, dates as ISO instants, the price as a decimal string. */
    public static Map<String, Object> view(Domain d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.id());
        view.put("domain", d.name());
        view.put("unicodeDomain", d.unicodeName());
        view.put("status", d.status());
        view.put("registrationPeriod", d.registrationPeriod());
        view.put("privacyProtection", d.privacyProtection());
        view.put("autoRenew", d.autoRenew());
        view.put("autoRenewAttempts", d.autoRenewAttempts());
        view.put("registeredAt", d.registeredAt());
        view.put("expiresAt", d.expiresAt());
        view.put("lastExpiryReminderAt", d.lastExpiryReminderAt());
        view.put("lastExpiryReminderDays", d.lastExpiryReminderDays());
        view.put("lastRenewalAt", d.lastRenewalAt());
        view.put("lastDnsUpdateAt", d.lastDnsUpdateAt());
        view.put("transferStatus", d.transferStatus());
        view.put("transferLastChecked", d.transferLastChecked());
        view.put("transferNeedsAttention", d.transferNeedsAttention());
        view.put("transferFailureReason", d.transferFailureReason());
        view.put("failureReason", d.failureReason());
        view.put("orderId", d.orderId());
        view.put("createdAt", d.createdAt());
        view.put("updatedAt", d.updatedAt());
        view.put("price", Money.format(d.price()));
        view.put("currency", d.currency());
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
