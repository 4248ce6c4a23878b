package com.domainautomation.clients;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.billing.Money;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bson.Document;

/** Clients (the reseller's customers) and their API tokens, stored only as SHA-256 hashes. */
public class ClientDirectory {
    static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

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

    /** Creates a client from {@code {name, email}}; the answer carries the token, shown this once. */
    public Map<String, Object> create(Map<String, Object> request) {
        List<Map<String, Object>> problems = new ArrayList<>();
        Object name = request.get("name");
        Object email = request.get("email");
        if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
            problems.add(Map.of("field", "name", "message", "is required (1 to 200 characters)"));
        }
        if (!(email instanceof String e) || !validEmail(e.trim())) {
            problems.add(Map.of("field", "email", "message", "must be a valid email address"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("The client is not valid", problems);
        }
        String clientId = Ids.newId("cli");
        String token = Ids.newToken("da");
        Date now = Date.from(clock.now());
        db.get(Db.CLIENTS).insertOne(new Document("_id", clientId)
                .append("name", ((String) name).trim())
                .append("email", ((String) email).trim())
                .append("balance", 0L)
                .append("currency", currency)
                .append("recentOps", List.of())
                .append("createdAt", now));
        db.get(Db.API_TOKENS).insertOne(new Document("_id", Ids.sha256(token))
                .append("clientId", clientId)
                .append("createdAt", now));
        Map<String, Object> answer = new LinkedHashMap<>(view(find(clientId)));
        answer.put("token", token);
        return answer;
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

    /** The client a token belongs to, or null. */
    public String clientForToken(String token) {
        Document row = db.get(Db.API_TOKENS).find(eq("_id", Ids.sha256(token))).first();
        return row == null ? null : row.getString("clientId");
    }

    public static Map<String, Object> view(Document client) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", client.getString("_id"));
        view.put("name", client.getString("name"));
        view.put("email", client.getString("email"));
        view.put("balance", Money.format(client.getLong("balance")));
        view.put("currency", client.getString("currency"));
        view.put("createdAt", client.getDate("createdAt").toInstant());
        return view;
    }
}
