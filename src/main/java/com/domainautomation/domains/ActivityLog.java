package com.domainautomation.domains;

import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import java.util.Date;
import org.bson.Document;

/** The history of each domain: one entry per job outcome (action, result, error, duration). */
public class ActivityLog {
    private final Db db;
    private final AppClock clock;

    public ActivityLog(Db db, AppClock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(Document domain, String job, String action, String result, String error, Long durationMs) {
        db.get(Db.ACTIVITY).insertOne(new Document("_id", Ids.newId("act"))
                .append("domain", domain.getString("name"))
                .append("domainId", domain.getString("_id"))
                .append("clientId", domain.getString("userId"))
                .append("job", job)
                .append("action", action)
                .append("result", result)
                .append("error", error)
                .append("durationMs", durationMs)
                .append("at", Date.from(clock.now())));
    }
}
