package com.domainautomation.clients;

import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * What the admin did: one entry per admin request that may change something (any method but GET), answered or
 * refused, with the action (the route), the path, its target, the status it got, the time and the caller's address.
 * Written before the answer is sent; never holds a body, a token or a secret.
 */
public class AuditLog {
    /** The target in an admin path: a failed job, a client, or a cron (taken from the path, never from a header). */
    private static final Pattern TARGET = Pattern.compile("/failed/([^/]+)|/clients/([^/]+)|/cron/([^/]+)/run");

    private final Db db;
    private final AppClock clock;

    public AuditLog(Db db, AppClock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Records a request if the admin made it and it may change something (any method but GET and HEAD): the action is
     * its route, {@code answer} the body it got (a create's answer names what it made).
     */
    public void record(
            Principal principal,
            String method,
            String action,
            String path,
            Object answer,
            int status,
            String callerIp) {
        if (principal == null || !principal.isAdmin()) {
            return;
        }
        if (method == null || method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD")) {
            return;
        }
        db.get(Db.AUDIT)
                .insertOne(new Document("_id", Ids.newId("aud"))
                        .append("at", Date.from(clock.now()))
                        .append("action", action)
                        .append("method", method)
                        .append("path", path)
                        .append("target", target(path, answer))
                        .append("status", status)
                        .append("callerIp", callerIp));
    }

    /**
     * What the action was on: the client, job or cron named in the path, or the client a create made (the answer's
     * id); null when neither (a refused create, the admin token).
     */
    private static String target(String path, Object answer) {
        Matcher named = path == null ? null : TARGET.matcher(path);
        if (named != null && named.find()) {
            return named.group(1) != null ? named.group(1) : named.group(2) != null ? named.group(2) : named.group(3);
        }
        return answer instanceof Map<?, ?> body && body.get("id") instanceof String id ? id : null;
    }

    /** The newest {@code limit} entries, newest first. */
    public List<Map<String, Object>> newest(int limit) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (Document entry :
                db.get(Db.AUDIT).find().sort(Sorts.descending("at")).limit(limit)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", entry.getString("_id"));
            view.put("at", entry.getDate("at").toInstant());
            view.put("action", entry.getString("action"));
            view.put("method", entry.getString("method"));
            view.put("path", entry.getString("path"));
            view.put("target", entry.getString("target"));
            view.put("status", entry.getInteger("status"));
            view.put("callerIp", entry.getString("callerIp"));
            views.add(view);
        }
        return views;
    }
}
