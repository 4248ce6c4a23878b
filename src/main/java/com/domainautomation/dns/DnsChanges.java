package com.domainautomation.dns;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.domains.Domain;
import com.domainautomation.domains.DomainRecords;
import com.domainautomation.queue.JobRequest;
import com.domainautomation.support.Accepted;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.JsonRequest;
import com.domainautomation.support.Requests;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.bson.Document;

/**
 * DNS changes, the API's side: each change (upsert, replace all, delete) is recorded as a pending {@code dns_changes}
 * document and a job is queued; {@link DnsWorker} applies them, oldest first.
 */
public class DnsChanges {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DnsChanges.class);
    public static final String COLLECTION = "dns_changes";

    private final Db db;
    private final DomainRecords domains;
    private final AppClock clock;

    public DnsChanges(Db db, DomainRecords domains, AppClock clock) {
        this.db = db;
        this.domains = domains;
        this.clock = clock;
    }

    // --- API steps ---------------------------------------------------------------------------------------------

    /** The caller's domain, which must be active for its DNS to be managed. */
    public Domain activeDomain(@ExchangeProperty("clientId") String clientId, @Header("domain") String name) {
        Domain domain = domains.requireOwned(clientId, name);
        if (!Domain.ACTIVE.equals(domain.status())) {
            throw new ApiException(
                    409,
                    "domain_not_active",
                    "DNS can be managed once the domain is active; " + domain.name() + " is " + domain.status());
        }
        return domain;
    }

    /** The records sent (a JSON array), checked one by one. */
    public List<DnsRecord> records(@Body JsonRequest request) {
        return DnsRecordValidator.validate(
                Requests.json(request, "[{\"type\":\"A\",\"name\":\"@\",\"data\":\"203.0.113.10\",\"ttl\":3600}]"));
    }

    /** POST, when the registrar could not say what records it has: the change is checked against itself only. */
    public Object registrarRecordsUnknown(
            @ExchangeProperty("domain") Domain domain, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        LOG.info(
                "DNS change of {}: the registrar's records could not be read ({}); only the records sent are checked",
                domain.name(),
                String.valueOf(cause));
        return null;
    }

    /**
     * POST: adds or updates records by type and name. {@code current} is what the registrar has now (a list), or null
     * when it could not be asked: then only the records sent are checked against each other, and the registrar
     * refuses a conflict when the change is applied.
     */
    @SuppressWarnings("unchecked")
    public Accepted upsert(
            @ExchangeProperty("dnsRecords") List<DnsRecord> records,
            @Body Object current,
            @ExchangeProperty("domain") Domain domain) {
        if (current instanceof List<?> list) {
            DnsRecordValidator.checkBesideExisting(records, (List<Map<String, Object>>) list);
        }
        return record(domain, "upsert", records, null, null);
    }

    /** PUT: every record of the domain replaced. */
    public Accepted replace(
            @ExchangeProperty("clientId") String clientId, @Header("domain") String name, @Body JsonRequest request) {
        List<DnsRecord> records = records(request);
        return record(activeDomain(clientId, name), "replace", records, null, null);
    }

    /** DELETE: the records of one type and name. */
    public Accepted delete(
            @ExchangeProperty("clientId") String clientId,
            @Header("domain") String domainName,
            @Header("type") String type,
            @Header("name") String name) {
        DnsRecordValidator.validateDelete(type, name);
        return record(activeDomain(clientId, domainName), "delete", List.of(), type.toUpperCase(Locale.ROOT), name);
    }

    private Accepted record(Domain domain, String kind, List<DnsRecord> records, String type, String name) {
        String id = Ids.newId("dns");
        String description =
                switch (kind) {
                    case "upsert" -> "add or update " + records.size() + " record(s): " + summary(records);
                    case "replace" -> "replace all records with " + records.size() + " record(s): " + summary(records);
                    default -> "delete the " + type + " records of " + name;
                };
        Document change = new Document("_id", id)
                .append("domainId", domain.id())
                .append("domain", domain.name())
                .append("clientId", domain.clientId())
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
        return Accepted.of(
                view(change),
                JobRequest.of(new DnsJob(id, domain.id()), "dns:" + id).about(domain.name(), null, domain.clientId()));
    }

    /** The change could not be queued: it is cancelled, so nothing is left pending that no job will apply. */
    public void cancel(@ExchangeProperty("dnsChange") Accepted accepted) {
        DnsJob job = (DnsJob) accepted.job().payload();
        db.get(COLLECTION).updateOne(eq("_id", job.changeId()), Updates.set("status", "cancelled"));
        throw new ApiException(
                503, "queue_unavailable", "The change could not be queued; nothing was changed, try again shortly");
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
