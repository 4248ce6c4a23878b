package com.domainautomation.domains;

import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/** The history of each domain: one entry per job outcome (action, result, error, duration). */
public class ActivityLog {
    private final Db db;
    private final AppClock clock;

    public ActivityLog(Db db, AppClock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(Domain domain, String job, String action, String result, String error, Long durationMs) {
        db.get(Db.ACTIVITY)
                .insertOne(new Document("_id", Ids.newId("act"))
                        .append("domain", domain.name())
                        .append("domainId", domain.id())
                        .append("clientId", domain.clientId())
                        .append("job", job)
                        .append("action", action)
                        .append("result", result)
                        .append("error", error)
                        .append("durationMs", durationMs)
                        .append("at", Date.from(clock.now())));
    }

    /** An event of the system, not of one domain (e.g. the registrar circuit breaker opening). */
    public void recordSystem(String action, String result, String detail) {
        recordSystem(action, result, detail, null);
    }

    /** A system event with structured details (e.g. a cron run's summary), shown as {@code summary}. */
    public void recordSystem(String action, String result, String detail, Document summary) {
        db.get(Db.ACTIVITY)
                .insertOne(new Document("_id", Ids.newId("act"))
                        .append("domain", null)
                        .append("action", action)
                        .append("result", result)
                        .append("error", detail)
                        .append("summary", summary)
                        .append("at", Date.from(clock.now())));
    }

    /** Newest first; {@code domain} (ASCII name) and {@code clientId} narrow it when given. */
    public List<Map<String, Object>> recent(String domain, String clientId, int limit) {
        List<Bson> filters = new ArrayList<>();
        if (domain != null && !domain.isBlank()) {
            filters.add(Filters.eq("domain", domain));
        }
        if (clientId != null) {
            filters.add(Filters.eq("clientId", clientId));
        }
        Bson filter = filters.isEmpty() ? new Document() : Filters.and(filters);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Document entry :
                db.get(Db.ACTIVITY).find(filter).sort(Sorts.descending("at")).limit(limit)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("at", entry.getDate("at").toInstant());
            view.put("domain", entry.getString("domain"));
            view.put("action", entry.getString("action"));
            view.put("result", entry.getString("result"));
            view.put("error", entry.getString("error"));
            view.put("job", entry.getString("job"));
            view.put("durationMs", entry.get("durationMs"));
            if (clientId == null) {
                view.put("clientId", entry.getString("clientId"));
                Document summary = entry.get("summary", Document.class);
                if (summary != null) {
                    Map<String, Object> details = new LinkedHashMap<>();
                    summary.forEach((k, v) -> details.put(k, v instanceof Date d ? d.toInstant() : v));
                    view.put("summary", details);
                }
            }
            entries.add(view);
        }
        return entries;
    }
}
