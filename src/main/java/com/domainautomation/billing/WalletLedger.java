package com.domainautomation.billing;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.ne;

import com.domainautomation.domains.Domain;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.WriteBatch;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Every change of a wallet balance is one ledger entry in {@code transactions}, keyed by an idempotency key.
 *
 * <p>With no multi-document transactions, a posting is three single-document steps, each safe to repeat:
 * <ol>
 *   <li>insert the entry as {@code pending} with {@code _id = key} (a second posting with the key stops here and
 *       answers with the first one's outcome);</li>
 *   <li>change the client's balance and remember the key in its {@code recentOps}, in one atomic update that
 *       only matches when the key is not there yet (and, for a debit, when the funds suffice);</li>
 *   <li>mark the entry {@code posted} (or {@code rejected} when funds were short).</li>
 * </ol>
 * A crash between steps leaves a {@code pending} entry; {@link #resolveStale} finishes it: posted when the key is
 * in the client's {@code recentOps}, otherwise a credit is applied and a debit rejected. So balance always equals
 * the sum of posted entries plus applied pending ones, which {@link #verify} checks.
 */
public class WalletLedger {
    public static final String PENDING = "pending";
    public static final String POSTED = "posted";
    public static final String REJECTED = "rejected";
    private static final int RECENT_OPS = 500;

    private final Db db;
    private final AppClock clock;
    private final String currency;

    public WalletLedger(Db db, AppClock clock, String currency) {
        this.db = db;
        this.clock = clock;
        this.currency = currency;
    }

    /** The same ledger, writing through {@link Db#deferring}: its caller waits for the disk before answering. */
    public WalletLedger deferring() {
        return new WalletLedger(db.deferring(), clock, currency);
    }

    /** The outcome of a posting: its status and, when known, the balance right after it. */
    public record Posting(String key, String status, long amount, Long balanceAfter) {
        public boolean posted() {
            return POSTED.equals(status);
        }
    }

    /**
     * Posts {@code amount} (negative = debit) to the client's wallet once per {@code key}. A debit larger than the
     * balance is rejected and changes nothing.
     */
    public Posting post(String clientId, String key, long amount, String type, String reference, String description) {
        if (!db.insertIfAbsent(Db.TRANSACTIONS, pendingEntry(clientId, key, amount, type, reference, description))) {
            LedgerEntry existing = find(key);
            if (existing == null || !clientId.equals(existing.clientId()) || existing.amount() != amount) {
                throw new IllegalStateException("ledger key " + key + " is already used for another posting");
            }
            if (!existing.pending()) {
                return toPosting(existing);
            }
        }
        Posting applied = apply(clientId, key, amount);
        return settle(key, applied.status(), applied.balanceAfter());
    }

    /**
     * Step 1 of a posting, for a caller that writes it in a {@link WriteBatch} with its own writes (a new key only):
     * the entry, {@code pending}. The caller then calls {@link #applyPending}.
     */
    public Document pendingEntry(
            String clientId, String key, long amount, String type, String reference, String description) {
        return new LedgerEntry(
                        key, clientId, type, amount, currency, reference, description, PENDING, clock.now(), null, null)
                .toDocument();
    }

    /**
     * Steps 2 and 3 of a posting whose pending entry the caller wrote. A posted entry is marked so by {@code settle},
     * which the caller sends with its next writes (until then the entry is pending with its key in the client's
     * {@code recentOps}, which {@link #resolveStale} and {@link #verify} count as posted); a rejected one at once.
     */
    public Posting applyPending(String clientId, String key, long amount, WriteBatch settle) {
        Posting applied = apply(clientId, key, amount);
        if (!applied.posted()) {
            return settle(key, applied.status(), applied.balanceAfter());
        }
        settle.updateOne(
                Db.TRANSACTIONS,
                and(eq("_id", key), eq("status", PENDING)),
                settlement(applied.status(), applied.balanceAfter()));
        return applied;
    }

    /** Step 2: the balance changed once per key, or the debit refused; the entry stays pending. */
    private Posting apply(String clientId, String key, long amount) {
        List<Bson> conditions = new ArrayList<>(List.of(eq("_id", clientId), ne("recentOps", key)));
        if (amount < 0) {
            conditions.add(gte("balance", -amount));
        }
        Document client = db.get(Db.CLIENTS)
                .findOneAndUpdate(
                        and(conditions),
                        Updates.combine(
                                Updates.inc("balance", amount),
                                Updates.pushEach(
                                        "recentOps",
                                        List.of(key),
                                        new com.mongodb.client.model.PushOptions().slice(-RECENT_OPS))),
                        // the balance only: with its recent keys, a client's document is some 20 KB
                        new FindOneAndUpdateOptions()
                                .returnDocument(ReturnDocument.AFTER)
                                .projection(Projections.include("balance")));
        if (client != null) {
            return new Posting(key, POSTED, amount, client.getLong("balance"));
        }
        Document current = db.get(Db.CLIENTS).find(eq("_id", clientId)).first();
        if (current != null
                && current.getList("recentOps", String.class, List.of()).contains(key)) {
            return new Posting(key, POSTED, amount, null); // applied by an earlier run of this posting
        }
        return new Posting(key, REJECTED, amount, current == null ? null : current.getLong("balance"));
    }

    private Bson settlement(String status, Long balanceAfter) {
        Document update = new Document("status", status).append("settledAt", Date.from(clock.now()));
        if (balanceAfter != null && POSTED.equals(status)) {
            update.append("balanceAfter", balanceAfter);
        }
        return new Document("$set", update);
    }

    /** Step 3: the entry marked posted or rejected (once). */
    private Posting settle(String key, String status, Long balanceAfter) {
        LedgerEntry entry = LedgerEntry.of(db.get(Db.TRANSACTIONS)
                .findOneAndUpdate(
                        and(eq("_id", key), eq("status", PENDING)),
                        settlement(status, balanceAfter),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
        if (entry == null) {
            entry = find(key);
        }
        return entry == null ? new Posting(key, status, 0, balanceAfter) : toPosting(entry);
    }

    /** Records a balance-neutral fact in the ledger (e.g. the outcome of a charge), once per key. */
    public void record(String clientId, String key, String type, String reference, String description) {
        db.insertIfAbsent(
                Db.TRANSACTIONS,
                new LedgerEntry(
                                key,
                                clientId,
                                type,
                                0L,
                                currency,
                                reference,
                                description,
                                POSTED,
                                clock.now(),
                                null,
                                null)
                        .toDocument());
    }

    /** The entry of {@code key}; null when there is none. */
    public LedgerEntry find(String key) {
        return LedgerEntry.of(db.get(Db.TRANSACTIONS).find(eq("_id", key)).first());
    }

    /** The posting of {@code key}; null when there is none. */
    public Posting posting(String key) {
        LedgerEntry entry = find(key);
        return entry == null ? null : toPosting(entry);
    }

    /** Finishes postings left pending for longer than {@code grace} by a process that stopped; returns how many. */
    public int resolveStale(Duration grace) {
        Date cutoff = Date.from(clock.now().minus(grace));
        int resolved = 0;
        for (LedgerEntry entry : db.get(Db.TRANSACTIONS)
                .find(and(eq("status", PENDING), lt("createdAt", cutoff)))
                .map(LedgerEntry::of)) {
            String key = entry.id();
            long amount = entry.amount();
            String clientId = entry.clientId();
            Document client = db.get(Db.CLIENTS).find(eq("_id", clientId)).first();
            if (client != null
                    && client.getList("recentOps", String.class, List.of()).contains(key)) {
                settle(key, POSTED, null);
            } else if (amount >= 0) {
                Posting applied = apply(clientId, key, amount); // a credit is owed: apply it now
                settle(key, applied.status(), applied.balanceAfter());
            } else {
                settle(key, REJECTED, null); // the debit never reached the balance
            }
            resolved++;
        }
        return resolved;
    }

    /** Per client: does the balance equal the ledger? */
    public List<Map<String, Object>> verify() {
        List<Map<String, Object>> report = new ArrayList<>();
        for (Document client : db.get(Db.CLIENTS).find()) {
            String clientId = client.getString("_id");
            List<String> recent = client.getList("recentOps", String.class, List.of());
            long posted = 0;
            long pendingApplied = 0;
            int pending = 0;
            for (LedgerEntry entry :
                    db.get(Db.TRANSACTIONS).find(eq("clientId", clientId)).map(LedgerEntry::of)) {
                if (entry.posted()) {
                    posted += entry.amount();
                } else if (entry.pending()) {
                    pending++;
                    if (recent.contains(entry.id())) {
                        pendingApplied += entry.amount();
                    }
                }
            }
            long balance = client.getLong("balance");
            Map<String, Integer> outcomes = chargeOutcomes(clientId);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("clientId", clientId);
            line.put("balance", Money.format(balance));
            line.put("ledgerSum", Money.format(posted + pendingApplied));
            line.put("pendingEntries", pending);
            line.put("balanced", balance == posted + pendingApplied);
            line.put("chargesSettled", outcomes.get("settled"));
            line.put("chargesInProgress", outcomes.get("open"));
            line.put("chargesWithoutOutcome", outcomes.get("missing"));
            line.put("everyChargeHasOutcome", outcomes.get("missing") == 0);
            report.add(line);
        }
        return report;
    }

    /**
     * Every posted charge must end in its outcome: per domain of an order (or the transfer), a {@code registered:} /
     * {@code transferred:} record when it is active, a {@code refund:} when it failed; per renewal, {@code renewed:} or
     * {@code refund:}. Work still pending counts as in progress, not as missing.
     */
    private Map<String, Integer> chargeOutcomes(String clientId) {
        Set<String> keys = new HashSet<>();
        for (Document entry : db.get(Db.TRANSACTIONS)
                .find(and(eq("clientId", clientId), eq("status", POSTED)))
                .projection(Projections.include("_id"))) {
            keys.add(entry.getString("_id"));
        }
        int settled = 0;
        int open = 0;
        int missing = 0;
        for (LedgerEntry charge : db.get(Db.TRANSACTIONS)
                .find(and(eq("clientId", clientId), eq("type", "charge"), eq("status", POSTED)))
                .map(LedgerEntry::of)) {
            String ref = charge.reference();
            if (ref != null && ref.startsWith("ren_")) {
                Document renewal = db.get("renewals").find(eq("_id", ref)).first();
                String status = renewal == null ? "missing" : renewal.getString("status");
                if ("done".equals(status) && keys.contains("renewed:" + ref)
                        || "failed".equals(status) && keys.contains("refund:" + ref)) {
                    settled++;
                } else if ("pending".equals(status) || "charging".equals(status)) {
                    open++;
                } else {
                    missing++;
                }
                continue;
            }
            boolean transfer = ref != null && ref.startsWith("xfr_");
            for (Domain domain : db.get(Db.DOMAINS).find(eq("orderId", ref)).map(Domain::of)) {
                String id = domain.id();
                String status = domain.status();
                if ("active".equals(status) && keys.contains((transfer ? "transferred:" : "registered:") + id)
                        || "failed".equals(status) && keys.contains("refund:" + id)) {
                    settled++;
                } else if ("pending".equals(status)) {
                    open++;
                } else if (!"active".equals(status) && !"failed".equals(status)) {
                    settled++; // expired, or later states: its purchase outcome was recorded before
                } else {
                    missing++;
                }
            }
        }
        return Map.of("settled", settled, "open", open, "missing", missing);
    }

    private static Posting toPosting(LedgerEntry entry) {
        return new Posting(entry.id(), entry.status(), entry.amount(), entry.balanceAfter());
    }
}
