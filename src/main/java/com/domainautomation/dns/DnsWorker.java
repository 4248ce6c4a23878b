package com.domainautomation.dns;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.dns.DnsSteps.Step;
import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainJobs;
import com.domainautomation.domains.DomainWorker;
import com.domainautomation.domains.Jobs;
import com.domainautomation.queue.JobContext;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.Db;
import com.domainautomation.support.Json;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;

/** The steps of the DNS route ({@code dns-queue.camel.yaml}); its decisions are in {@link DnsSteps}. */
public class DnsWorker extends DomainWorker {

    public DnsWorker(DomainJobs jobs) {
        super(jobs);
    }

    /** The job's domain with its DNS lease; null when it is gone. Another job's lease puts this one back. */
    public Domain lease(@Body DnsJob payload, @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        return jobs.lease(payload.domainId(), new Document(), DomainJobs.Lease.DNS, job.id());
    }

    /** The domain's oldest pending change, whichever job queued it; null when there is none. */
    public Document oldestChange(@ExchangeProperty("domain") Domain domain) {
        return domain == null
                ? null
                : db.get(DnsChanges.COLLECTION)
                        .find(and(eq("domainId", domain.id()), eq("status", "pending")))
                        .sort(Sorts.ascending("createdAt", "_id"))
                        .first();
    }

    /** What to do with the change; skipping a domain this job holds hands the lease back. */
    public Step firstStep(@ExchangeProperty("domain") Domain domain, @ExchangeProperty("dnsChange") Document change) {
        Step step = DnsSteps.atStart(domain != null, change == null ? null : change.getString("kind"));
        if (step == Step.SKIP && domain != null) {
            jobs.release(domain.id(), DomainJobs.Lease.DNS);
        }
        return step;
    }

    /** Upsert: the (type, name) groups of the change, one read-modify-PUT each. */
    public List<Map<String, Object>> groups(@ExchangeProperty("dnsChange") Document change) {
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
     * Read-modify-PUT: {@code current} is what GoDaddy has at the group's type+name; a new record replaces the one
     * with the same data (or, for CNAME, the only one) and is otherwise added. Returns the PUT body.
     */
    @SuppressWarnings("unchecked")
    public String merge(@Body Object current, @ExchangeProperty("dnsGroup") Map<String, Object> group) {
        List<Map<String, Object>> merged = new ArrayList<>();
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
        return Json.write(merged);
    }

    /** Replace all: the full record list, as the PUT body. */
    public String replaceBody(@ExchangeProperty("dnsChange") Document change) {
        return Json.write(change.getList("records", Document.class));
    }

    public void applied(
            @ExchangeProperty("dnsChange") Document change,
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        Date now = Date.from(clock.now());
        db.get(DnsChanges.COLLECTION)
                .updateOne(
                        eq("_id", change.getString("_id")),
                        Updates.combine(Updates.set("status", "applied"), Updates.set("appliedAt", now)));
        db.get(Db.DOMAINS)
                .updateOne(
                        eq("_id", domain.id()),
                        Updates.combine(Updates.set("lastDnsUpdateAt", now), Updates.set("dnsLeaseUntil", null)));
        jobs.recorded(domain, job, "dns-" + change.getString("kind"));
    }

    // --- give-up (dead-letter) steps ------------------------------------------------------------------------------

    public Step giveUpStep(@ExchangeProperty("domain") Domain domain, @ExchangeProperty("dnsChange") Document change) {
        return DnsSteps.atGiveUp(domain != null, change != null);
    }

    /** The change failed for good: marked failed, the lease handed back; returns the owner's email. */
    public JobRequest failed(
            @ExchangeProperty("dnsChange") Document change,
            @ExchangeProperty("domain") Domain domain,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause,
            @ExchangeProperty(JobContext.PROPERTY) JobContext job) {
        String reason = cause == null ? "unknown error" : cause.getMessage();
        db.get(DnsChanges.COLLECTION)
                .updateOne(
                        eq("_id", change.getString("_id")),
                        Updates.combine(Updates.set("status", "failed"), Updates.set("failureReason", reason)));
        jobs.release(domain.id(), DomainJobs.Lease.DNS);
        Map<String, Object> data = Jobs.emailData(domain);
        data.put("change", change.getString("description"));
        data.put("attempts", job.attempt());
        return jobs.failed(
                domain,
                job,
                "dns-" + change.getString("kind"),
                reason,
                "dns-update-failed",
                change.getString("_id"),
                data);
    }
}
