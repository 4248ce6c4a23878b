package com.domainautomation.domains;

import static com.domainautomation.support.Stored.date;
import static com.domainautomation.support.Stored.instant;
import static com.domainautomation.support.Stored.withOptional;

import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * A domain document (the seed's Domain model), read through {@link #of} and written through {@link #toDocument}: the
 * one mapping between the code and the {@code domains} collection. Components are named as the stored fields, but for
 * the owner: the seed stores it as {@code userId}, and the code calls the owner of everything its {@code clientId}.
 *
 * @param registrationPeriod the years bought
 * @param privacyProtection WHOIS privacy
 * @param contact the registrant contact sent to the registrar (GoDaddy's shape)
 * @param consent who agreed to the registrar's agreements, and when
 * @param leaseUntil the work lease (registration, transfer); {@link DomainJobs.Lease} names the three leases
 */
public record Domain(
        String id,
        String name,
        String unicodeName,
        String clientId,
        String orderId,
        String status,
        int registrationPeriod,
        boolean privacyProtection,
        boolean autoRenew,
        int autoRenewAttempts,
        long price,
        String currency,
        Document contact,
        Document consent,
        int purchaseAttempts,
        Instant lastPurchaseAttemptAt,
        Instant registeredAt,
        Instant expiresAt,
        Instant lastExpiryReminderAt,
        Integer lastExpiryReminderDays,
        Instant lastRenewalAt,
        Instant lastAutoRenewFailureAt,
        Instant autoRenewDisabledAt,
        Instant lastDnsUpdateAt,
        String authCode,
        int transferAttempts,
        String transferStatus,
        Instant transferRequestedAt,
        Instant transferLastChecked,
        boolean transferNeedsAttention,
        Instant transferStalledAt,
        String transferFailureReason,
        String registrarStatus,
        String failureReason,
        Instant leaseUntil,
        String leaseJob,
        Instant renewLeaseUntil,
        String renewLeaseJob,
        Instant dnsLeaseUntil,
        String dnsLeaseJob,
        Instant createdAt,
        Instant updatedAt) {

    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";
    /** The stored name of {@link #clientId}, the seed's. */
    public static final String OWNER_FIELD = "userId";

    /** The domain as stored; null for null (a domain that is gone). */
    public static Domain of(Document d) {
        if (d == null) {
            return null;
        }
        return new Domain(
                d.getString("_id"),
                d.getString("name"),
                d.getString("unicodeName"),
                d.getString(OWNER_FIELD),
                d.getString("orderId"),
                d.getString("status"),
                d.getInteger("registrationPeriod", 1),
                d.getBoolean("privacyProtection", false),
                d.getBoolean("autoRenew", false),
                d.getInteger("autoRenewAttempts", 0),
                d.get("price") == null ? 0L : d.getLong("price"), // a price stored as anything but a long is refused
                d.getString("currency"),
                d.get("contact", Document.class),
                d.get("consent", Document.class),
                d.getInteger("purchaseAttempts", 0),
                instant(d, "lastPurchaseAttemptAt"),
                instant(d, "registeredAt"),
                instant(d, "expiresAt"),
                instant(d, "lastExpiryReminderAt"),
                d.getInteger("lastExpiryReminderDays"),
                instant(d, "lastRenewalAt"),
                instant(d, "lastAutoRenewFailureAt"),
                instant(d, "autoRenewDisabledAt"),
                instant(d, "lastDnsUpdateAt"),
                d.getString("authCode"),
                d.getInteger("transferAttempts", 0),
                d.getString("transferStatus"),
                instant(d, "transferRequestedAt"),
                instant(d, "transferLastChecked"),
                d.getBoolean("transferNeedsAttention", false),
                instant(d, "transferStalledAt"),
                d.getString("transferFailureReason"),
                d.getString("registrarStatus"),
                d.getString("failureReason"),
                instant(d, "leaseUntil"),
                d.getString("leaseJob"),
                instant(d, "renewLeaseUntil"),
                d.getString("renewLeaseJob"),
                instant(d, "dnsLeaseUntil"),
                d.getString("dnsLeaseJob"),
                instant(d, "createdAt"),
                instant(d, "updatedAt"));
    }

    /**
     * The document to store. Fields that a new domain has not set yet are written as null where the seed wrote them
     * so (its dates, transfer state); the rest only once set, as the updates of the workers and crons add them.
     */
    public Document toDocument() {
        Document d = new Document("_id", id)
                .append("name", name)
                .append("unicodeName", unicodeName)
                .append(OWNER_FIELD, clientId)
                .append("orderId", orderId)
                .append("status", status)
                .append("registrationPeriod", registrationPeriod)
                .append("privacyProtection", privacyProtection)
                .append("autoRenew", autoRenew)
                .append("autoRenewAttempts", autoRenewAttempts)
                .append("price", price)
                .append("currency", currency)
                .append("contact", contact)
                .append("consent", consent)
                .append("purchaseAttempts", purchaseAttempts)
                .append("registeredAt", date(registeredAt))
                .append("expiresAt", date(expiresAt))
                .append("lastExpiryReminderAt", date(lastExpiryReminderAt))
                .append("lastRenewalAt", date(lastRenewalAt))
                .append("lastDnsUpdateAt", date(lastDnsUpdateAt))
                .append("transferStatus", transferStatus)
                .append("transferLastChecked", date(transferLastChecked))
                .append("transferNeedsAttention", transferNeedsAttention)
                .append("transferFailureReason", transferFailureReason);
        withOptional(d, "authCode", authCode);
        withOptional(d, "transferAttempts", transferStatus == null ? null : transferAttempts);
        withOptional(d, "transferRequestedAt", date(transferRequestedAt));
        withOptional(d, "lastPurchaseAttemptAt", date(lastPurchaseAttemptAt));
        withOptional(d, "lastExpiryReminderDays", lastExpiryReminderDays);
        withOptional(d, "lastAutoRenewFailureAt", date(lastAutoRenewFailureAt));
        withOptional(d, "autoRenewDisabledAt", date(autoRenewDisabledAt));
        withOptional(d, "transferStalledAt", date(transferStalledAt));
        withOptional(d, "registrarStatus", registrarStatus);
        withOptional(d, "failureReason", failureReason);
        withOptional(d, "leaseUntil", date(leaseUntil));
        withOptional(d, "leaseJob", leaseJob);
        withOptional(d, "renewLeaseUntil", date(renewLeaseUntil));
        withOptional(d, "renewLeaseJob", renewLeaseJob);
        withOptional(d, "dnsLeaseUntil", date(dnsLeaseUntil));
        withOptional(d, "dnsLeaseJob", dnsLeaseJob);
        return d.append("createdAt", date(createdAt)).append("updatedAt", date(updatedAt));
    }

    /**
     * A new domain, pending: bought with an order and waiting for the registration worker, or (with an auth code) a
     * transfer in that was paid, waiting for the transfer worker to request it.
     */
    public static Domain newPending(
            String id,
            String name,
            String unicodeName,
            String clientId,
            String orderId,
            int years,
            boolean privacy,
            boolean autoRenew,
            long price,
            String currency,
            Document contact,
            Document consent,
            String transferAuthCode,
            Instant now) {
        Date created = Date.from(now);
        Document d = new Document("_id", id)
                .append("name", name)
                .append("unicodeName", unicodeName)
                .append(OWNER_FIELD, clientId)
                .append("orderId", orderId)
                .append("status", PENDING)
                .append("registrationPeriod", years)
                .append("privacyProtection", privacy)
                .append("autoRenew", autoRenew)
                .append("price", price)
                .append("currency", currency)
                .append("contact", contact)
                .append("consent", consent)
                .append("createdAt", created)
                .append("updatedAt", created);
        if (transferAuthCode != null) {
            d.append("authCode", transferAuthCode)
                    .append("transferStatus", "requested")
                    .append("transferRequestedAt", created);
        }
        return of(d);
    }

    public boolean pending() {
        return PENDING.equals(status);
    }

    /** The name as people read it: the Unicode form of an IDN, else the ASCII name. */
    public String displayName() {
        return unicodeName != null ? unicodeName : name;
    }
}
