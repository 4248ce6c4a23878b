package com.domainautomation.dns;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.domainautomation.domains.ActivityLog;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.domains.Jobs;
import com.domainautomation.queue.QueueConstants;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.Json;
import com.domainautomation.support.Requests;
import com.domainautomation.support.RetryableException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * DNS changes: the API records each change (upsert, replace all, delete) as a pending {@code dns_changes} document and
 * queues a job; the worker always applies the OLDEST pending change of the domain, holding a lease on the domain, so
 * the changes of one domain are applied in order and never concurrently.
 */
public class DnsChanges {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DnsChanges.class);
    public static final String COLLECTION = "dns_changes";
    public static final String STEP = "dnsStep";

    private final Db db;
    private final DomainRecords domains;
    private final ActivityLog activity;
    private final AppClock clock;
    private final Duration lease;

    public DnsChanges(Db db, DomainRecords domains, ActivityLog activity, AppClock clock, Duration lease) {
        this.db = db;
        this.domains = domains;
        this.activity = activity;
        this.clock = clock;
        this.lease = lease;
    }

    // --- API steps ---------------------------------------------------------------------------------------------

    /** GET records: the caller must own an active domain; leaves it in the property {@code domain}. */
    public void prepareRead(Exchange exchange) {
        exchange.setProperty("domain", activeDomain(exchange));
    }

    /**
     * POST, first step: checks the records sent (a JSON array) and the domain, and keeps them in the properties
     * {@code dnsRecords} and {@code domain} while the route reads the records the registrar has.
     */
    public void prepareUpsert(Exchange exchange) {
        exchange.setProperty("dnsRecords", DnsRecordValidator.validate(body(exchange)));
        exchange.setProperty("domain", activeDomain(exchange));
    }

    /** POST, when the registrar could not say what records it has: the change is checked against itself only. */
    public void registrarRecordsUnknown(Exchange exchange) {
        LOG.info(
                "DNS change of {}: the registrar's records could not be read ({}); only the records sent are checked",
                exchange.getProperty("domain", Document.class).getString("name"),
                String.valueOf(exchange.getProperty(Exchange.EXCEPTION_CAUGHT)));
        exchange.getMessage().setBody(null);
    }

    /**
     * POST, second step: adds or updates records by type and name. The body is what the registrar has now (a list),
     * or null when it could not be asked: then only the records sent are checked against each other, and the
     * registrar refuses a conflict when the change is applied.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> upsert(Exchange exchange) {
        List<DnsRecord> records = exchange.getProperty("dnsRecords", List.class);
        if (exchange.getMessage().getBody() instanceof List<?> current) {
            DnsRecordValidator.checkBesideExisting(records, (List<Map<String, Object>>) current);
        }
        return record(exchange, "upsert", records, null, null);
    }

    public Map<String, Object> replace(Exchange exchange) {
        return record(exchange, "replace", DnsRecordValidator.validate(body(exchange)), null, null);
    }

    public Map<String, Object> delete(Exchange exchange) {
        String type = exchange.getMessage().getHeader("type", String.class);
        String name = exchange.getMessage().getHeader("name", String.class);
        DnsRecordValidator.validateDelete(type, name);
        return record(exchange, "delete", List.of(), type.toUpperCase(java.util.Locale.ROOT), name);
    }

    private Map<String, Object> record(
            Exchange exchange, String kind, List<DnsRecord> records, String type, String name) {
        // an upsert checked the domain before the route called the registrar (whose call leaves other headers)
        Document domain = exchange.getProperty("domain") instanceof Document checked ? checked : activeDomain(exchange);
        String id = Ids.newId("dns");
        String description =
                switch (kind) {
                    case "upsert" -> "add or update " + records.size() + " record(s): " + summary(records);
                    case "replace" -> "replace all records with " + records.size() + " record(s): " + summary(records);
                    default -> "delete the " + type + " records of " + name;
                };
        Document change = new Document("_id", id)
                .append("domainId", domain.getString("_id"))
                .append("domain", domain.getString("name"))
                .append("clientId", domain.getString("userId"))
                .append("kind", kind)
                .append(
                        "records",
                        records.stream()
                                .map(r -> new Document(r.toRecordBody()))
                                .toList())
                .append("type", type)
                .append("name", name)
                .append("description", description)
                .append("status", "pending")
                .append("createdAt", Date.from(clock.now()));
        db.get(COLLECTION).insertOne(change);
        exchange.setProperty("responseStatus", 202);
        exchange.setProperty("dnsJob", Map.of("changeId", id, "domainId", domain.getString("_id")));
        return view(change);
    }

    /** The change could not be queued: it is cancelled, so nothing is left pending that no job will apply. */
    public void cancel(Exchange exchange) {
        Object changeId = ((Map<?, ?>) exchange.getProperty("dnsJob")).get("changeId");
        db.get(COLLECTION).updateOne(eq("_id", changeId), Updates.set("status", "cancelled"));
        throw new ApiException(
                503, "queue_unavailable", "The change could not be queued; nothing was changed, try again shortly");
    }

    // --- worker steps ------------------------------------------------------------------------------------------

    /** Takes the domain's DNS lease and its oldest pending change; decides: skip, upsert, replace or delete. */
    public void begin(Exchange exchange) {
        exchange.setProperty("startedAt", System.currentTimeMillis());
        Object domainId = exchange.getMessage().getBody(Map.class).get("domainId");
        String jobId = String.valueOf(exchange.getProperty(QueueConstants.JOB_ID));
        Date now = Date.from(clock.now());
        Document domain = db.get(Db.DOMAINS)
                .findOneAndUpdate(
                        and(
                                eq("_id", String.valueOf(domainId)),
                                or(eq("dnsLeaseUntil", null), lt("dnsLeaseUntil", now), eq("dnsLeaseJob", jobId))),
                        Updates.combine(
                                Updates.set(
                                        "dnsLeaseUntil", Date.from(clock.now().plus(lease))),
                                Updates.set("dnsLeaseJob", jobId)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (domain == null) {
            if (db.get(Db.DOMAINS).find(eq("_id", String.valueOf(domainId))).first() == null) {
                exchange.setProperty(STEP, "skip");
                return;
            }
            // waiting for another job is not this job's failure: put back, attempt kept
            exchange.setProperty(QueueConstants.JOB_RETRY_KEEP_ATTEMPT, true);
            exchange.setProperty(QueueConstants.JOB_RETRY_DELAY, 1000L);
            throw new RetryableException("another DNS change of this domain is being applied");
        }
        Document change = db.get(COLLECTION)
                .find(and(eq("domainId", domain.getString("_id")), eq("status", "pending")))
                .sort(Sorts.ascending("createdAt", "_id"))
                .first();
        exchange.setProperty("domain", domain);
        if (change == null) {
            release(domain.getString("_id"));
            exchange.setProperty(STEP, "skip");
            return;
        }
        exchange.setProperty("dnsChange", change);
        exchange.setProperty(STEP, change.getString("kind"));
    }

    /** Upsert: the (type, name) groups of the change, one read-modify-PUT each. */
    public List<Map<String, Object>> groups(Exchange exchange) {
        Document change = exchange.getProperty("dnsChange", Document.class);
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (Document record : change.getList("records", Document.class)) {
            String key = record.getString("type") + " " + record.getString("name");
            groups.computeIfAbsent(key, k -> {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("type", record.getString("type"));
                group.put("name", record.getString("name"));
                group.put("records", new ArrayList<Document>());
                return group;
            });
            @SuppressWarnings("unchecked")
            List<Document> list = (List<Document>) groups.get(key).get("records");
            list.add(record);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * Read-modify-PUT: the body is what GoDaddy has at the group's type+name; a new record replaces the one with the
     * same data (or, for CNAME, the only one) and is otherwise added. The body becomes the PUT body.
     */
    @SuppressWarnings("unchecked")
    public void merge(Exchange exchange) {
        Map<String, Object> group = exchange.getProperty("dnsGroup", Map.class);
        List<Map<String, Object>> merged = new ArrayList<>();
        Object current = exchange.getMessage().getBody();
        if (current instanceof List<?> existing) {
            for (Object record : existing) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) record);
                copy.remove("type");
                copy.remove("name");
                merged.add(copy);
            }
        }
        for (Document record : (List<Document>) group.get("records")) {
            Map<String, Object> body = new LinkedHashMap<>(record);
            body.remove("type");
            body.remove("name");
            if ("CNAME".equals(group.get("type"))) {
                merged.clear();
            }
            merged.removeIf(r -> String.valueOf(r.get("data")).equalsIgnoreCase(String.valueOf(body.get("data"))));
            merged.add(body);
        }
        exchange.getMessage().setBody(Json.write(merged));
    }

    /** Replace all: the body becomes the full record list. */
    public void replaceBody(Exchange exchange) {
        Document change = exchange.getProperty("dnsChange", Document.class);
        exchange.getMessage().setBody(Json.write(change.getList("records", Document.class)));
    }

    public void applied(Exchange exchange) {
        Document change = exchange.getProperty("dnsChange", Document.class);
        Document domain = exchange.getProperty("domain", Document.class);
        Date now = Date.from(clock.now());
        db.get(COLLECTION)
                .updateOne(
                        eq("_id", change.getString("_id")),
                        Updates.combine(Updates.set("status", "applied"), Updates.set("appliedAt", now)));
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.getString("_id")),
                        Updates.combine(Updates.set("lastDnsUpdateAt", now), Updates.set("dnsLeaseUntil", null)));
        activity.record(
                domain,
                Jobs.jobRef(exchange),
                "dns-" + change.getString("kind"),
                "success",
                null,
                Jobs.elapsed(exchange));
    }

    /** Dead-letter steps: the change failed for good; the body becomes the owner's dns-update-failed email. */
    public void failed(Exchange exchange) {
        Document change = exchange.getProperty("dnsChange", Document.class);
        Document domain = exchange.getProperty("domain", Document.class);
        if (change == null || domain == null) {
            exchange.setProperty(STEP, "skip");
            return;
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown error" : cause.getMessage();
        db.get(COLLECTION)
                .updateOne(
                        eq("_id", change.getString("_id")),
                        Updates.combine(Updates.set("status", "failed"), Updates.set("failureReason", reason)));
        release(domain.getString("_id"));
        activity.record(
                domain,
                Jobs.jobRef(exchange),
                "dns-" + change.getString("kind"),
                "failure",
                reason,
                Jobs.elapsed(exchange));
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("change", change.getString("description"));
        data.put("reason", reason);
        data.put("attempts", exchange.getProperty(QueueConstants.JOB_ATTEMPT));
        Jobs.setEmail(exchange, "dns-update-failed", domain, data);
        exchange.getMessage()
                .setHeader(QueueConstants.HEADER_JOB_ID, "email:dns-update-failed:" + change.getString("_id"));
        exchange.setProperty(STEP, "failed");
    }

    private void release(String domainId) {
        db.get(Db.DOMAINS).updateOne(eq("_id", domainId), Updates.set("dnsLeaseUntil", null));
    }

    private Document activeDomain(Exchange exchange) {
        Document domain = domains.requireOwned(
                exchange.getProperty("clientId", String.class),
                exchange.getMessage().getHeader("domain", String.class));
        if (!DomainRecords.ACTIVE.equals(domain.getString("status"))) {
            throw new ApiException(
                    409,
                    "domain_not_active",
                    "DNS can be managed once the domain is active; " + domain.getString("name") + " is "
                            + domain.getString("status"));
        }
        return domain;
    }

    private static Object body(Exchange exchange) {
        return Requests.json(exchange, "[{\"type\":\"A\",\"name\":\"@\",\"data\":\"203.0.113.10\",\"ttl\":3600}]");
    }

    private static String summary(List<DnsRecord> records) {
        List<String> parts = new ArrayList<>();
        for (DnsRecord record : records.subList(0, Math.min(5, records.size()))) {
            parts.add(record.type() + " " + record.name() + " " + record.data());
        }
        return String.join(", ", parts) + (records.size() > 5 ? ", …" : "");
    }

    static Map<String, Object> view(Document change) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", change.getString("_id"));
        view.put("domain", change.getString("domain"));
        view.put("kind", change.getString("kind"));
        view.put("description", change.getString("description"));
        view.put("status", change.getString("status"));
        view.put("createdAt", change.getDate("createdAt").toInstant());
        return view;
    }
}
