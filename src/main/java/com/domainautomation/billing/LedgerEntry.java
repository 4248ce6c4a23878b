package com.domainautomation.billing;

import static com.domainautomation.support.Stored.date;
import static com.domainautomation.support.Stored.instant;
import static com.domainautomation.support.Stored.withOptional;

import java.time.Instant;
import org.bson.Document;

/**
 * An entry of the wallet ledger ({@code transactions}), read through {@link #of} and written through
 * {@link #toDocument}: the one mapping between the code and the stored entry. Its id is the posting's key, which
 * makes each posting happen once.
 *
 * @param amount in minor units; negative for a debit, 0 for a balance-neutral fact (the outcome of a charge)
 * @param status {@link WalletLedger#PENDING}, {@link WalletLedger#POSTED} or {@link WalletLedger#REJECTED}
 * @param balanceAfter the balance right after it was applied (null while pending, or when not known)
 */
public record LedgerEntry(
        String id,
        String clientId,
        String type,
        long amount,
        String currency,
        String reference,
        String description,
        String status,
        Instant createdAt,
        Instant settledAt,
        Long balanceAfter) {

    /** The entry as stored; null for null. */
    public static LedgerEntry of(Document d) {
        if (d == null) {
            return null;
        }
        return new LedgerEntry(
                d.getString("_id"),
                d.getString("clientId"),
                d.getString("type"),
                d.getLong("amount"),
                d.getString("currency"),
                d.getString("reference"),
                d.getString("description"),
                d.getString("status"),
                instant(d, "createdAt"),
                instant(d, "settledAt"),
                d.getLong("balanceAfter"));
    }

    /** The document to store; the settlement fields only once settled (a settlement {@code $set}s them). */
    public Document toDocument() {
        Document d = new Document("_id", id)
                .append("clientId", clientId)
                .append("type", type)
                .append("amount", amount)
                .append("currency", currency)
                .append("reference", reference)
                .append("description", description)
                .append("status", status)
                .append("createdAt", date(createdAt));
        return withOptional(withOptional(d, "settledAt", date(settledAt)), "balanceAfter", balanceAfter);
    }

    public boolean pending() {
        return WalletLedger.PENDING.equals(status);
    }

    public boolean posted() {
        return WalletLedger.POSTED.equals(status);
    }
}
