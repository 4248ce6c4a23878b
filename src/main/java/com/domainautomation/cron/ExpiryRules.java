package com.domainautomation.cron;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.nin;
import static com.mongodb.client.model.Filters.or;

import com.domainautomation.domains.Domain;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.conversions.Bson;

/**
 * When a domain's owner hears about its expiry. Before it: one {@code domain-expiring} notice per threshold (30, 7
 * and 1 days; priority 3, 2, 1), the nearest threshold reached being the one sent, so a notice missed while the app
 * was down is sent late rather than never, and a threshold already passed is not sent after a nearer one. At expiry:
 * the domain becomes {@code expired} with a {@code domain-expired} email. After it, as ICANN's expired-registration
 * rules ask of registrars: one more notice a few days later, while it can still be renewed.
 *
 * <p>The stage sent for the current expiry is kept in {@code lastExpiryReminderDays} (30, 7, 1; {@value #EXPIRED}
 * for the expiry notice; {@value #AFTER_EXPIRY} for the one after); a renewal clears it.
 */
public final class ExpiryRules {
    public static final int[] THRESHOLDS = {30, 7, 1};
    public static final int EXPIRED = 0;
    public static final int AFTER_EXPIRY = -1;
    public static final String STAGE_FIELD = "lastExpiryReminderDays";

    public enum Kind {
        EXPIRING,
        EXPIRED,
        AFTER_EXPIRY
    }

    /** What to send: {@code stage} is recorded once it is queued; {@code days} is days left (or since expiry). */
    public record Notice(Kind kind, int stage, long days, int priority) {}

    private final Duration afterExpiry;
    private final Duration renewalGrace;

    /**
     * @param afterExpiryDays the post-expiry notice goes out this many days after expiry (1 to 5)
     * @param renewalGraceDays how long after expiry the registrar still renews it (the notices say until when)
     */
    public ExpiryRules(int afterExpiryDays, int renewalGraceDays) {
        if (afterExpiryDays < 1 || afterExpiryDays > 5) {
            throw new IllegalArgumentException(
                    "the post-expiry notice must be 1 to 5 days after expiry, not " + afterExpiryDays);
        }
        if (renewalGraceDays <= afterExpiryDays) {
            throw new IllegalArgumentException(
                    "the renewal grace period must be longer than " + afterExpiryDays + " days");
        }
        this.afterExpiry = Duration.ofDays(afterExpiryDays);
        this.renewalGrace = Duration.ofDays(renewalGraceDays);
    }

    public Duration renewalGrace() {
        return renewalGrace;
    }

    /** The notice owed now, if any. {@code lastStage} is the stage already sent for this expiry (null: none). */
    public Optional<Notice> decide(String status, Instant expiresAt, Integer lastStage, Instant now) {
        if (expiresAt == null) {
            return Optional.empty();
        }
        if (Domain.ACTIVE.equals(status)) {
            if (!expiresAt.isAfter(now)) {
                return Optional.of(new Notice(Kind.EXPIRED, EXPIRED, 0, 1));
            }
            Duration left = Duration.between(now, expiresAt);
            for (int i = THRESHOLDS.length - 1; i >= 0; i--) {
                int threshold = THRESHOLDS[i];
                if (left.compareTo(Duration.ofDays(threshold)) <= 0) {
                    boolean sent = lastStage != null && lastStage > 0 && lastStage <= threshold;
                    return sent
                            ? Optional.empty()
                            : Optional.of(
                                    new Notice(Kind.EXPIRING, threshold, daysRoundedUp(left), priority(threshold)));
                }
            }
            return Optional.empty();
        }
        if (Domain.EXPIRED.equals(status)) {
            Duration since = Duration.between(expiresAt, now);
            boolean due = since.compareTo(afterExpiry) >= 0 && since.compareTo(renewalGrace) < 0;
            boolean sent = lastStage != null && lastStage == AFTER_EXPIRY;
            return due && !sent
                    ? Optional.of(new Notice(Kind.AFTER_EXPIRY, AFTER_EXPIRY, since.toDays(), 2))
                    : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The domains {@link #decide} may owe a notice, as one query (an {@code $or} of {@code expiresAt} ranges, each
     * served by the {@code expiresAt} index on MongoDB), so one pass over the store finds them all.
     */
    public Bson dueFilter(Instant now) {
        Instant in30 = now.plus(Duration.ofDays(30));
        Instant in7 = now.plus(Duration.ofDays(7));
        Instant in1 = now.plus(Duration.ofDays(1));
        return or(
                and(
                        eq("status", Domain.ACTIVE),
                        lte("expiresAt", d(in30)),
                        gt("expiresAt", d(in7)),
                        nin(STAGE_FIELD, 30, 7, 1)),
                and(
                        eq("status", Domain.ACTIVE),
                        lte("expiresAt", d(in7)),
                        gt("expiresAt", d(in1)),
                        nin(STAGE_FIELD, 7, 1)),
                and(eq("status", Domain.ACTIVE), lte("expiresAt", d(in1)), gt("expiresAt", d(now)), ne(STAGE_FIELD, 1)),
                and(eq("status", Domain.ACTIVE), lte("expiresAt", d(now))),
                and(
                        eq("status", Domain.EXPIRED),
                        lte("expiresAt", d(now.minus(afterExpiry))),
                        gt("expiresAt", d(now.minus(renewalGrace))),
                        ne(STAGE_FIELD, AFTER_EXPIRY)));
    }

    private static Date d(Instant instant) {
        return Date.from(instant);
    }

    static long daysRoundedUp(Duration left) {
        long days = left.toDays();
        return left.minusDays(days).isZero() ? Math.max(days, 1) : days + 1;
    }

    static int priority(int threshold) {
        return threshold >= 30 ? 3 : threshold >= 7 ? 2 : 1;
    }
}
