package com.domainautomation.domains;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.Pricing;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.Accepted;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.Document;

/**
 * A renewal paid from the wallet: {@code POST /api/domains/{domain}/renew {years}} charges the price (one ledger entry),
 * writes the renewal invoice and a {@code renewals} record, and hands back the renewal job. An outbox entry covers the
 * gap until the job is queued; the recovery sweeper queues it if the request died in between.
 */
public class RenewalService {
    public static final String RENEWALS = "renewals";

    private final Db db;
    private final WalletLedger ledger;
    private final Pricing pricing;
    private final DomainRecords domains;
    private final AppClock clock;

    public RenewalService(Db db, WalletLedger ledger, Pricing pricing, DomainRecords domains, AppClock clock) {
        this.db = db;
        this.ledger = ledger;
        this.pricing = pricing;
        this.domains = domains;
        this.clock = clock;
    }

    /** Route step for the client API {@code POST /api/domains/{domain}/renew}: charged now, the job to queue. */
    public Accepted request(
            @ExchangeProperty("clientId") String clientId, @Header("domain") String name, @Body JsonRequest request) {
        Domain domain = domains.requireOwned(clientId, name);
        Map<String, Object> body = Requests.jsonObject(request, "{\"years\": 1}");
        Requests.rejectUnknownFields(body, Set.of("years"));
        Object rawYears = body.getOrDefault("years", 1);
        if (!(rawYears instanceof Integer years) || years < 1 || years > 10) {
            throw ApiException.badRequest(
                    "The renewal is not valid",
                    List.of(Map.of("field", "years", "message", "must be a whole number from 1 to 10")));
        }
        if (!Domain.ACTIVE.equals(domain.status()) && !Domain.EXPIRED.equals(domain.status())) {
            throw new ApiException(
                    409,
                    "not_renewable",
                    "Only an active or expired domain can be renewed; " + domain.name() + " is " + domain.status());
        }
        Document renewal = create(domain, years, "client");
        if (renewal == null) {
            throw new ApiException(
                    402, "insufficient_funds", "The wallet holds less than the renewal price; nothing was charged");
        }
        return Accepted.of(
                view(renewal), RenewalJob.of(renewal.getString("_id")).about(domain.name(), null, domain.clientId()));
    }

    /** Charges and records one renewal the client asked for; null when the wallet is short (nothing charged). */
    public Document create(Domain domain, int years, String source) {
        return create(domain, years, source, Ids.newId("ren"), null);
    }

    /**
     * Charges and records one renewal under the given id; null when the wallet is short (the renewal is then
     * {@code rejected}, nothing charged). Every step is keyed by the id, so calling it again after a crash completes
     * the same renewal and never charges twice. The auto-renew cron passes an id made of the domain, its expiry and
     * the attempt number ({@code autoAttempt}).
     */
    public Document create(Domain domain, int years, String source, String renewalId, Integer autoAttempt) {
        long price = pricing.renewal(domain.name(), years)
                .orElseThrow(() -> new ApiException(
                        409,
                        "not_renewable",
                        "We no longer sell ." + domain.name().replaceAll(".*\\.", "")));
        Date now = Date.from(clock.now());
        db.insertIfAbsent(Db.OUTBOX, Db.outboxEntry("renewal", "renewalId", renewalId, now));
        Document renewal = new Document("_id", renewalId)
                .append("domainId", domain.id())
                .append("domain", domain.name())
                .append("clientId", domain.clientId())
                .append("years", years)
                .append("price", price)
                .append("currency", pricing.currency())
                .append("source", source)
                .append("status", "charging")
                .append("previousExpiresAt", domain.expiresAt() == null ? null : Date.from(domain.expiresAt()))
                .append("renewAttempts", 0)
                .append("autoAttempt", autoAttempt)
                .append("createdAt", now);
        db.insertIfAbsent(RENEWALS, renewal);
        WalletLedger.Posting charge = ledger.post(
                domain.clientId(),
                chargeKey(renewalId),
                -price,
                "charge",
                renewalId,
                "Renewal of " + domain.name() + " for " + years + " year(s)");
        if (!charge.posted()) {
            db.get(RENEWALS)
                    .updateOne(
                            and(eq("_id", renewalId), eq("status", "charging")),
                            new Document("$set", new Document("status", "rejected")));
            db.get(Db.OUTBOX).deleteOne(eq("_id", Db.outboxKey("renewal", renewalId)));
            return null;
        }
        db.insertIfAbsent(
                Db.INVOICES,
                new Document("_id", "inv_" + renewalId.substring(4))
                        .append("number", "INV-R-" + renewalId.substring(4, 12).toUpperCase())
                        .append("clientId", domain.clientId())
                        .append("orderId", renewalId)
                        .append(
                                "lines",
                                List.of(new Document(
                                                "description",
                                                "Renewal of " + domain.name() + " for " + years + " year(s)")
                                        .append("amount", price)))
                        .append("total", price)
                        .append("currency", pricing.currency())
                        .append("status", "paid")
                        .append("issuedAt", now));
        db.get(RENEWALS)
                .updateOne(
                        and(eq("_id", renewalId), eq("status", "charging")),
                        new Document("$set", new Document("status", "pending")));
        return db.get(RENEWALS).find(eq("_id", renewalId)).first();
    }

    /** Route step after the renewal job is queued: its outbox entry is done. */
    public void queued(@Body RenewalJob job) {
        String renewalId = job.renewalId();
        db.get(Db.OUTBOX).deleteOne(eq("_id", Db.outboxKey("renewal", String.valueOf(renewalId))));
    }

    /** Recovery step: renewal jobs charged more than {@code graceMs} ago but never queued; uncharged ones are closed. */
    public List<JobRequest> recoverAfter(long graceMs) {
        return recover(Duration.ofMillis(graceMs));
    }

    public List<JobRequest> recover(Duration grace) {
        List<JobRequest> jobs = new ArrayList<>();
        for (Document entry : db.get(Db.OUTBOX)
                .find(and(
                        eq("kind", "renewal"),
                        lt("createdAt", Date.from(clock.now().minus(grace)))))) {
            String renewalId = entry.getString("renewalId");
            WalletLedger.Posting charge = ledger.posting(chargeKey(renewalId));
            if (charge != null && charge.posted()) {
                db.get(RENEWALS)
                        .updateOne(
                                and(eq("_id", renewalId), eq("status", "charging")),
                                new Document("$set", new Document("status", "pending")));
                jobs.add(RenewalJob.of(renewalId));
            } else if (charge == null || WalletLedger.REJECTED.equals(charge.status())) {
                db.get(RENEWALS)
                        .updateOne(eq("_id", renewalId), new Document("$set", new Document("status", "cancelled")));
                db.get(Db.OUTBOX).deleteOne(eq("_id", entry.getString("_id")));
            }
        }
        return jobs;
    }

    public static String chargeKey(String renewalId) {
        return "charge:" + renewalId;
    }

    static Map<String, Object> view(Document renewal) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", renewal.getString("_id"));
        view.put("domain", renewal.getString("domain"));
        view.put("years", renewal.getInteger("years"));
        view.put("price", Money.format(renewal.getLong("price")));
        view.put("currency", renewal.getString("currency"));
        view.put("status", renewal.getString("status"));
        view.put(
                "previousExpiresAt",
                renewal.getDate("previousExpiresAt") == null
                        ? null
                        : renewal.getDate("previousExpiresAt").toInstant());
        return view;
    }
}
