package com.domainautomation.clients;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token, kept only as a hash in the store (settings document {@value #ID}) so that every instance knows the
 * same one. {@code ADMIN_TOKEN} sets it whenever its value changes; with none, one is generated at first start and
 * printed once. {@link #rotate} replaces it with a new one without downtime: the previous one stays valid for the
 * configured overlap ({@code ADMIN_TOKEN_OVERLAP_MS}). Each instance reads the document again at most once a second,
 * so a rotation reaches all of them within a second.
 */
public class AdminTokens {
    static final String ID = "admin-token";
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokens.class);
    private static final long REREAD_NANOS = Duration.ofSeconds(1).toNanos();

    /** A rotated token: shown once. */
    public record Rotation(String token, Instant previousValidUntil) {}

    private record Hashes(String current, String previous, Instant previousValidUntil, long readAt) {}

    private final Db db;
    private final AppClock clock;
    private final Duration overlap;
    private volatile Hashes hashes;

    public AdminTokens(Db db, AppClock clock, String configuredToken, Duration overlap) {
        this.db = db;
        this.clock = clock;
        this.overlap = overlap;
        if (!configuredToken.isBlank()) {
            configure(Ids.sha256(configuredToken));
        } else if (db.get(Db.SETTINGS).find(eq("_id", ID)).first() == null) {
            String token = Ids.newToken("admin");
            if (db.insertIfAbsent(
                    Db.SETTINGS,
                    new Document("_id", ID)
                            .append("hash", Ids.sha256(token))
                            .append("createdAt", Date.from(clock.now())))) {
                LOG.warn("""

                        ================================================================
                         No ADMIN_TOKEN set: generated an admin token. It is shown ONCE:
                           {}
                         Keep it; only its hash is stored. Set ADMIN_TOKEN to choose one.
                        ================================================================""", token);
            }
        }
        hashes = read();
    }

    /** ADMIN_TOKEN becomes the admin token when it is new to the store (a changed value replaces a rotated token). */
    private void configure(String hash) {
        Document stored = db.get(Db.SETTINGS).find(eq("_id", ID)).first();
        if (stored == null) {
            db.insertIfAbsent(
                    Db.SETTINGS,
                    new Document("_id", ID)
                            .append("hash", hash)
                            .append("configuredHash", hash)
                            .append("createdAt", Date.from(clock.now())));
        } else if (!hash.equals(stored.getString("configuredHash"))) {
            db.get(Db.SETTINGS)
                    .replaceOne(
                            eq("_id", ID),
                            new Document("_id", ID)
                                    .append("hash", hash)
                                    .append("configuredHash", hash)
                                    .append("createdAt", Date.from(clock.now())));
        }
    }

    /** Whether {@code token} is the admin token, or the previous one within its overlap (by hash, in constant time). */
    public boolean matches(String token) {
        Hashes known = hashes;
        if (System.nanoTime() - known.readAt() > REREAD_NANOS) {
            known = read();
            hashes = known;
        }
        byte[] hash = Ids.sha256(token).getBytes(StandardCharsets.US_ASCII);
        boolean current = MessageDigest.isEqual(hash, known.current().getBytes(StandardCharsets.US_ASCII));
        boolean previous = known.previous() != null
                && clock.now().isBefore(known.previousValidUntil())
                && MessageDigest.isEqual(hash, known.previous().getBytes(StandardCharsets.US_ASCII));
        return current | previous;
    }

    /** A new admin token (in this answer only); the one in use now stays valid for the overlap. */
    public Rotation rotate() {
        String token = Ids.newToken("admin");
        Instant until = clock.now().plus(overlap);
        Document stored = db.get(Db.SETTINGS).find(eq("_id", ID)).first();
        db.get(Db.SETTINGS)
                .replaceOne(
                        eq("_id", ID),
                        new Document("_id", ID)
                                .append("hash", Ids.sha256(token))
                                .append("configuredHash", stored.getString("configuredHash"))
                                .append("previousHash", stored.getString("hash"))
                                .append("previousValidUntil", Date.from(until))
                                .append("createdAt", Date.from(clock.now())));
        hashes = read();
        return new Rotation(token, until);
    }

    private Hashes read() {
        Document stored = db.get(Db.SETTINGS).find(eq("_id", ID)).first();
        Date until = stored.getDate("previousValidUntil");
        return new Hashes(
                stored.getString("hash"),
                stored.getString("previousHash"),
                until == null ? Instant.EPOCH : until.toInstant(),
                System.nanoTime());
    }
}
