package com.domainautomation.clients;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

import com.domainautomation.billing.Money;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.Requests;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bson.Document;

/** Clients (the reseller's customers) and their API tokens, stored only as SHA-256 hashes. */
public class ClientDirectory {
    static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private static final Set<String> FIELDS = Set.of("name", "email");
    private static final String EMAILS_CLAIMED = "client-emails-claimed";
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    private final Db db;
    private final AppClock clock;
    private final String currency;

    public ClientDirectory(Db db, AppClock clock, String currency) {
        this.db = db;
        this.clock = clock;
        this.currency = currency;
    }

    public static boolean validEmail(String email) {
        return email != null && email.length() <= 254 && EMAIL.matcher(email).matches();
    }

    /**
     * Creates a client from {@code {name, email}}; the answer carries the token, shown this once. An email belongs to
     * one client (compared without case): a second client with it is a 409.
     */
    public Map<String, Object> create(Map<String, Object> request) {
        List<Map<String, Object>> problems = new ArrayList<>(Requests.unknownFields(request, "", FIELDS));
        Object name = request.get("name");
        Object email = request.get("email");
        if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
            problems.add(Map.of("field", "name", "message", "is required (1 to 200 characters)"));
        } else if (!Requests.isPlainText(n)) {
            problems.add(Map.of(
                    "field", "name", "message", "must be plain text (no markup, control or invisible characters)"));
        }
        if (!(email instanceof String e) || !validEmail(e.trim())) {
            problems.add(Map.of("field", "email", "message", "must be a valid email address"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("The client is not valid", problems);
        }
        String clientId = Ids.newId("cli");
        String address = ((String) email).trim();
        Date now = Date.from(clock.now());
        String holder = claimEmail(address, clientId, now);
        if (!holder.equals(clientId)) {
            throw new ApiException(
                    409, "email_taken", "Client " + holder + " has this email already; an email belongs to one client");
        }
        String token = Ids.newToken("da");
        db.get(Db.CLIENTS)
                .insertOne(new Document("_id", clientId)
                        .append("name", ((String) name).trim())
                        .append("email", address)
                        .append("balance", 0L)
                        .append("currency", currency)
                        .append("status", ACTIVE)
                        .append("recentOps", List.of())
                        .append("createdAt", now));
        db.get(Db.API_TOKENS)
                .insertOne(new Document("_id", Ids.sha256(token))
                        .append("clientId", clientId)
                        .append("disabled", false)
                        .append("createdAt", now));
        Map<String, Object> answer = new LinkedHashMap<>(view(find(clientId)));
        answer.put("token", token);
        return answer;
    }

    /**
     * Claims {@code email} for {@code clientId} (one document per address, so two concurrent creates cannot both win)
     * and answers the client that holds it. A claim whose client was never written (the process died between the two
     * inserts) is taken over.
     */
    private String claimEmail(String email, String clientId, Date now) {
        String key = email.toLowerCase(Locale.ROOT);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (db.insertIfAbsent(
                    Db.CLIENT_EMAILS,
                    new Document("_id", key).append("clientId", clientId).append("createdAt", now))) {
                return clientId;
            }
            Document claim = db.get(Db.CLIENT_EMAILS).find(eq("_id", key)).first();
            if (claim == null) {
                continue; // released meanwhile
            }
            String holder = claim.getString("clientId");
            if (find(holder) != null) {
                return holder;
            }
            if (db.get(Db.CLIENT_EMAILS)
                            .replaceOne(
                                    and(eq("_id", key), eq("clientId", holder)),
                                    new Document("_id", key)
                                            .append("clientId", clientId)
                                            .append("createdAt", now))
                            .getModifiedCount()
                    == 1) {
                return clientId;
            }
        }
        throw new IllegalStateException("could not claim " + email + " after three attempts");
    }

    /**
     * Claims the email of every client created before emails were claimed (once per store; the first client with an
     * address keeps it). Answers how many clients share an address with an earlier one.
     */
    public int claimExistingEmails() {
        if (db.get(Db.SETTINGS).find(eq("_id", EMAILS_CLAIMED)).first() != null) {
            return 0;
        }
        int shared = 0;
        for (Document client : db.get(Db.CLIENTS).find().sort(Sorts.ascending("createdAt"))) {
            String key = client.getString("email").toLowerCase(Locale.ROOT);
            if (!db.insertIfAbsent(
                    Db.CLIENT_EMAILS,
                    new Document("_id", key)
                            .append("clientId", client.getString("_id"))
                            .append("createdAt", client.getDate("createdAt")))) {
                Document claim = db.get(Db.CLIENT_EMAILS).find(eq("_id", key)).first();
                shared += claim != null && !client.getString("_id").equals(claim.getString("clientId")) ? 1 : 0;
            }
        }
        db.insertIfAbsent(Db.SETTINGS, new Document("_id", EMAILS_CLAIMED).append("at", Date.from(clock.now())));
        return shared;
    }

    public Document find(String clientId) {
        return db.get(Db.CLIENTS).find(eq("_id", clientId)).first();
    }

    public Document require(String clientId) {
        Document client = find(clientId);
        if (client == null) {
            throw ApiException.notFound("Client " + clientId);
        }
        return client;
    }

    /** What a client's API token stands for: its client, and whether that client is disabled. */
    public record TokenHolder(String clientId, boolean disabled) {}

    /** The client a token belongs to, or null. */
    public TokenHolder clientForToken(String token) {
        Document row = db.get(Db.API_TOKENS).find(eq("_id", Ids.sha256(token))).first();
        return row == null
                ? null
                : new TokenHolder(row.getString("clientId"), Boolean.TRUE.equals(row.getBoolean("disabled")));
    }

    /**
     * A new API token for the client (in this answer only); every other token of the client stops working at once.
     */
    public Map<String, Object> rotateToken(String clientId) {
        Document client = require(clientId);
        String token = Ids.newToken("da");
        String hash = Ids.sha256(token);
        db.get(Db.API_TOKENS)
                .insertOne(new Document("_id", hash)
                        .append("clientId", clientId)
                        .append("disabled", DISABLED.equals(client.getString("status")))
                        .append("createdAt", Date.from(clock.now())));
        db.get(Db.API_TOKENS).deleteMany(and(eq("clientId", clientId), ne("_id", hash)));
        Map<String, Object> answer = new LinkedHashMap<>(view(client));
        answer.put("token", token);
        return answer;
    }

    /**
     * Disables or enables a client: a disabled client's requests are refused (403), while its jobs in progress still
     * complete. The tokens carry the flag (they are what each request reads) and are changed first; the client's
     * status follows. Calling it again finishes a change a crash interrupted.
     */
    public Map<String, Object> setDisabled(String clientId, boolean disabled) {
        require(clientId);
        db.get(Db.API_TOKENS).updateMany(eq("clientId", clientId), Updates.set("disabled", disabled));
        db.get(Db.CLIENTS).updateOne(eq("_id", clientId), Updates.set("status", disabled ? DISABLED : ACTIVE));
        return view(require(clientId));
    }

    public static Map<String, Object> view(Document client) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", client.getString("_id"));
        view.put("name", client.getString("name"));
        view.put("email", client.getString("email"));
        view.put("balance", Money.format(client.getLong("balance")));
        view.put("currency", client.getString("currency"));
        view.put("status", client.getString("status") == null ? ACTIVE : client.getString("status"));
        view.put("createdAt", client.getDate("createdAt").toInstant());
        return view;
    }
}
