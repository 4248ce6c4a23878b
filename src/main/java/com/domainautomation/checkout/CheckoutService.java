package com.domainautomation.checkout;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;

import com.domainautomation.billing.Money;
import com.domainautomation.billing.WalletLedger;
import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.domains.RegistrationJob;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.ApiAnswer;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.Json;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import com.domainautomation.support.WriteBatch;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.Document;

/**
 * Checkout: validate, claim the names, charge the wallet once, then create the invoice and the pending domains,
 * and hand back the registration jobs to queue.
 *
 * <p>Crash safety without multi-document transactions: an {@code outbox} entry {@code order:<id>} is written
 * before the order; once the charge is posted, {@link #complete} (idempotent: every id is derived from the order id)
 * writes the invoice, the domains and one {@code registration:<domainId>} outbox entry per domain, and removes the
 * order entry. A registration entry is removed once its job is in the queue. The recovery sweeper finishes any
 * entry left behind: it completes a charged order, cancels an uncharged one, and queues what was not queued.
 *
 * <p>The writes go out in two {@link WriteBatch}es around the one atomic balance change: before it the key, names,
 * order and pending ledger entry; after it the completion with the ledger entry's settlement and the key's answer,
 * durable. A crash keeps a prefix of them, each step one the sweeper (and {@link WalletLedger#resolveStale}) finishes.
 */
public class CheckoutService {

    private final Db db;
    private final WalletLedger ledger;
    private final CheckoutValidator validator;
    private final AppClock clock;
    private final List<String> agreementKeys;

    public CheckoutService(
            Db db, WalletLedger ledger, CheckoutValidator validator, AppClock clock, List<String> agreementKeys) {
        this.db = db;
        this.ledger = ledger;
        this.validator = validator;
        this.clock = clock;
        this.agreementKeys = List.copyOf(agreementKeys);
    }

    /** A checkout's outcome: the 202 answer, and the registration jobs to queue before it is sent. */
    public record Placed(ApiAnswer answer, List<JobRequest> jobs) {}

    /**
     * Route step: places the order in the request body for the client. Its writes wait for the disk once, at the end,
     * before the jobs are queued and the answer sent ({@link Db#deferring}): a crash keeps a prefix of them, which the
     * recovery sweeper finishes or cancels like any interrupted checkout. {@code remoteAddress} is the caller's (the
     * consent's {@code agreedBy}).
     */
    public Placed place(
            @ExchangeProperty("clientId") String clientId,
            @Header("Idempotency-Key") String key,
            @Body JsonRequest request,
            @Header(Requests.REMOTE_ADDRESS) Object remoteAddress) {
        try {
            return place(clientId, key, request, Requests.callerIp(remoteAddress), db.deferring(), ledger.deferring());
        } finally {
            db.awaitDurable();
        }
    }

    private Placed place(String clientId, String key, JsonRequest json, String ip, Db db, WalletLedger ledger) {
        Map<String, Object> body = Requests.jsonObject(
                json,
                "{\"items\": [{\"domain\": \"example.com\", \"years\": 1}], \"contact\": {...}, \"agreeToTerms\": true}");
        CheckoutRequest request = validator.validate(body);
        String orderId = Ids.newId("ord");
        Date now = Date.from(clock.now());

        // The key, the names, the outbox entry, the order and the charge's pending ledger entry, in this order,
        // stopping at a key or name already taken.
        WriteBatch opening = db.batch();
        String idempotencyId = null;
        String requestHash = null;
        if (key != null) {
            if (key.isBlank() || key.length() > 255 || !key.matches("[\\x21-\\x7e]+")) {
                throw ApiException.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters", List.of());
            }
            idempotencyId = clientId + ":" + key;
            requestHash = Ids.sha256(Json.write(body));
            opening.insertIfAbsent(
                    Db.IDEMPOTENCY,
                    new Document("_id", idempotencyId)
                            .append("requestHash", requestHash)
                            .append("orderId", orderId)
                            .append("createdAt", now));
        }
        int firstClaim = opening.size();
        for (CheckoutRequest.Item item : request.items()) {
            opening.insertIfAbsent(
                    Db.DOMAIN_CLAIMS,
                    new Document("_id", item.domain().ascii())
                            .append("orderId", orderId)
                            .append("clientId", clientId)
                            .append("createdAt", now));
        }
        opening.insert(Db.OUTBOX, Db.outboxEntry("order", "orderId", orderId, now));
        Order order = Order.created(orderId, clientId, request, agreementKeys, ip, now.toInstant(), key);
        opening.insert(Db.ORDERS, order.toDocument());
        String names = String.join(
                ", ", request.items().stream().map(i -> i.domain().ascii()).toList());
        opening.insert(
                Db.TRANSACTIONS,
                ledger.pendingEntry(
                        clientId,
                        chargeKey(orderId),
                        -request.total(),
                        "charge",
                        orderId,
                        "Domain registration: " + names));
        Completion completion;
        WalletLedger.Posting charge;
        try {
            List<Boolean> opened = opening.applyUntilPresent();
            if (idempotencyId != null && !opened.get(0)) {
                return replay(idempotencyId, requestHash);
            }
            if (opened.size() < opening.size()) {
                // the item whose name was taken; the names before it are ours
                int taken = opened.size() - 1 - firstClaim;
                for (CheckoutRequest.Item claimed : request.items().subList(0, taken)) {
                    releaseName(db, claimed.domain().ascii(), orderId);
                }
                throw new ApiException(
                        409,
                        "domain_unavailable",
                        request.items().get(taken).domain().ascii()
                                + " is already registered or being registered through us",
                        List.of(Map.of("field", "items[" + taken + "].domain", "message", "is taken")));
            }
            // the writes that complete the order once it is charged, with the charge's settlement (see WalletLedger)
            completion = completion(order);
            charge = ledger.applyPending(clientId, chargeKey(orderId), -request.total(), completion.writes());
        } catch (ApiException e) {
            remember(db, idempotencyId, e.status(), e.body());
            throw e;
        } catch (RuntimeException e) {
            // Nothing was charged for sure only if no ledger entry exists; the sweeper settles the order either way.
            // The key is freed when no charge was made, so the client can retry with it.
            if (idempotencyId != null && ledger.posting(chargeKey(orderId)) == null) {
                db.get(Db.IDEMPOTENCY).deleteOne(eq("_id", idempotencyId));
            }
            throw e;
        }
        if (!charge.posted()) {
            cancel(db, order, "insufficient_funds");
            ApiException refused = new ApiException(
                    402,
                    "insufficient_funds",
                    "The wallet holds less than the total of " + Money.format(request.total()) + " "
                            + request.currency() + "; nothing was charged");
            remember(db, idempotencyId, 402, refused.body());
            throw refused;
        }
        // The order's last writes, with the key's answer, wait for the disk (and so every write before them).
        remember(completion.writes(), idempotencyId, 202, null);
        List<Boolean> completed = completion.writes().apply();
        Map<String, Object> answer = completion.allWrittenHere(completed)
                ? answer(order.paid(), completion.invoice(), completion.domains())
                : answer(orderId); // another writer (the recovery sweeper) completed part of it first: what is stored
        return new Placed(
                ApiAnswer.accepted(answer),
                completion.domains().stream().map(RegistrationJob::of).toList());
    }

    /** Idempotent: creates whatever of the invoice, domains and outbox entries is missing, marks the order paid. */
    public List<String> complete(Order order) {
        Completion completion = completion(order);
        completion.writes().apply();
        return completion.domainIds();
    }

    /**
     * The writes that complete a charged order (sent together, durable): the invoice, the pending domains and one
     * registration outbox entry per domain, each only if missing; the order marked paid; its outbox entry removed.
     */
    private record Completion(WriteBatch writes, Document invoice, List<Domain> domains, List<String> domainIds) {
        /** Whether the invoice and every domain were written by this batch, not found there. */
        boolean allWrittenHere(List<Boolean> applied) {
            return !applied.subList(0, 1 + domains.size()).contains(false);
        }
    }

    private Completion completion(Order order) {
        String orderId = order.id();
        String clientId = order.clientId();
        Date now = Date.from(clock.now());
        List<Order.Item> items = order.items();
        Document invoice = new Document("_id", "inv_" + orderId.substring(4))
                .append(
                        "number",
                        "INV-"
                                + DateTimeFormatter.ofPattern("yyyyMMdd")
                                        .withZone(ZoneOffset.UTC)
                                        .format(order.createdAt())
                                + "-" + orderId.substring(4, 12).toUpperCase())
                .append("clientId", clientId)
                .append("orderId", orderId)
                .append(
                        "lines",
                        items.stream()
                                .map(i -> new Document(
                                                "description",
                                                "Registration of " + i.domain() + " for " + i.years() + " year(s)")
                                        .append("amount", i.price()))
                                .toList())
                .append("total", order.total())
                .append("currency", order.currency())
                .append("status", "paid")
                .append("issuedAt", now);
        WriteBatch writes = db.batch().insertIfAbsent(Db.INVOICES, invoice);
        List<String> domainIds = new ArrayList<>();
        List<Domain> domains = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Order.Item item = items.get(i);
            String domainId = orderId + "-" + (i + 1);
            domainIds.add(domainId);
            domains.add(Domain.newPending(
                    domainId,
                    item.domain(),
                    item.unicodeDomain(),
                    clientId,
                    orderId,
                    item.years(),
                    item.privacy(),
                    item.autoRenew(),
                    item.price(),
                    order.currency(),
                    order.contact(),
                    order.consent(),
                    null,
                    now.toInstant()));
        }
        domains.forEach(domain -> writes.insertIfAbsent(Db.DOMAINS, domain.toDocument()));
        for (String domainId : domainIds) {
            writes.insertIfAbsent(Db.OUTBOX, Db.outboxEntry("registration", "domainId", domainId, now));
        }
        writes.updateOne(
                Db.ORDERS,
                eq("_id", orderId),
                Updates.combine(Updates.set("status", Order.PAID), Updates.set("paidAt", now)));
        writes.deleteOne(Db.OUTBOX, eq("_id", Db.outboxKey("order", orderId)));
        return new Completion(writes, invoice, domains, domainIds);
    }

    /** Route step after a registration job is in the queue: its outbox entry is done. */
    public void queued(@Body RegistrationJob job) {
        String domainId = job.domainId();
        db.get(Db.OUTBOX).deleteOne(eq("_id", Db.outboxKey("registration", domainId)));
    }

    /**
     * Recovery: finishes outbox entries older than {@code grace}. Returns the registration jobs to queue.
     */
    public List<JobRequest> recover(Duration grace) {
        Date cutoff = Date.from(clock.now().minus(grace));
        List<String> toQueue = new ArrayList<>();
        // only this service's entries: renewal entries belong to RenewalService's sweep
        for (Document entry :
                db.get(Db.OUTBOX).find(and(in("kind", "order", "registration"), lt("createdAt", cutoff)))) {
            if ("registration".equals(entry.getString("kind"))) {
                toQueue.add(entry.getString("domainId"));
                continue;
            }
            Order order = Order.of(db.get(Db.ORDERS)
                    .find(eq("_id", entry.getString("orderId")))
                    .first());
            if (order == null) {
                db.get(Db.OUTBOX).deleteOne(eq("_id", entry.getString("_id"))); // crashed before the order existed
                continue;
            }
            WalletLedger.Posting charge = ledger.posting(chargeKey(order.id()));
            if (charge != null && charge.posted()) {
                toQueue.addAll(complete(order));
            } else if (charge == null || WalletLedger.REJECTED.equals(charge.status())) {
                cancel(db, order, charge == null ? "interrupted_before_charge" : "insufficient_funds");
            }
        }
        return registrationJobs(toQueue);
    }

    /** Releases the names an order held, e.g. when its registration failed or it was never charged. */
    public void releaseName(String name, String orderId) {
        releaseName(db, name, orderId);
    }

    private static void releaseName(Db db, String name, String orderId) {
        db.get(Db.DOMAIN_CLAIMS).deleteOne(and(eq("_id", name), eq("orderId", orderId)));
    }

    public static String chargeKey(String orderId) {
        return "charge:" + orderId;
    }

    private static void cancel(Db db, Order order, String reason) {
        String orderId = order.id();
        db.get(Db.ORDERS)
                .updateOne(
                        eq("_id", orderId),
                        Updates.combine(Updates.set("status", Order.CANCELLED), Updates.set("cancelReason", reason)));
        for (Order.Item item : order.items()) {
            releaseName(db, item.domain(), orderId);
        }
        db.get(Db.OUTBOX).deleteOne(eq("_id", Db.outboxKey("order", orderId)));
    }

    private Placed replay(String idempotencyId, String requestHash) {
        Document previous =
                db.get(Db.IDEMPOTENCY).find(eq("_id", idempotencyId)).first();
        if (previous == null) {
            throw new ApiException(
                    409,
                    "checkout_in_progress",
                    "A checkout with this Idempotency-Key is being processed; retry shortly");
        }
        if (!requestHash.equals(previous.getString("requestHash"))) {
            throw new ApiException(
                    422, "idempotency_key_reused", "This Idempotency-Key was used for a different checkout body");
        }
        Integer status = previous.getInteger("status");
        if (status != null && status != 202) {
            Document error = previous.get("response", Document.class);
            throw new ApiException(status, error.getString("error"), error.getString("message"));
        }
        Order order = Order.of(
                db.get(Db.ORDERS).find(eq("_id", previous.getString("orderId"))).first());
        if (order == null || !Order.PAID.equals(order.status())) {
            throw new ApiException(
                    409,
                    "checkout_in_progress",
                    "A checkout with this Idempotency-Key is being processed; retry shortly");
        }
        return new Placed(ApiAnswer.accepted(answer(order.id())), List.of());
    }

    private static void remember(Db db, String idempotencyId, int status, Map<String, Object> response) {
        remember(db.batch(), idempotencyId, status, response).apply();
    }

    /**
     * Adds the answer given for an Idempotency-Key to {@code writes}, when the request had one: the status, and the
     * body of a refusal. A 202 is answered again from the order as it is then ({@link #replay}), so its body is not
     * kept (it was a third of the store's bytes per checkout).
     */
    private static WriteBatch remember(
            WriteBatch writes, String idempotencyId, int status, Map<String, Object> response) {
        if (idempotencyId != null) {
            writes.updateOne(
                    Db.IDEMPOTENCY,
                    eq("_id", idempotencyId),
                    status == 202
                            ? Updates.set("status", status)
                            : Updates.combine(
                                    Updates.set("status", status),
                                    Updates.set("response", Document.parse(Json.write(response)))));
        }
        return writes;
    }

    /** The checkout's answer: the order, its invoice, its domains as they are now. */
    public Map<String, Object> answer(String orderId) {
        Order order = Order.of(db.get(Db.ORDERS).find(eq("_id", orderId)).first());
        Document invoice = db.get(Db.INVOICES).find(eq("orderId", orderId)).first();
        List<Domain> domains = new ArrayList<>();
        db.get(Db.DOMAINS).find(eq("orderId", orderId)).map(Domain::of).into(domains);
        return answer(order, invoice, domains);
    }

    private static Map<String, Object> answer(Order order, Document invoice, List<Domain> domainDocuments) {
        String orderId = order.id();
        Map<String, Object> orderView = new LinkedHashMap<>();
        orderView.put("id", orderId);
        orderView.put("status", order.status());
        orderView.put("total", Money.format(order.total()));
        orderView.put("currency", order.currency());
        orderView.put("createdAt", order.createdAt());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("order", orderView);
        answer.put("invoice", invoice == null ? null : InvoiceViews.view(invoice));
        List<Map<String, Object>> domains = new ArrayList<>();
        for (Domain domain : domainDocuments) {
            domains.add(DomainRecords.view(domain));
        }
        domains.sort((a, b) -> a.get("id").toString().compareTo(b.get("id").toString()));
        answer.put("domains", domains);
        return answer;
    }

    private static List<JobRequest> registrationJobs(List<String> domainIds) {
        return domainIds.stream().map(RegistrationJob::of).toList();
    }
}
