package com.domainautomation.dns;

import static com.mongodb.client.model.Filters.eq;

import com.domainautomation.domains.DomainRecords;
import com.domainautomation.support.ApiException;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.domainautomation.support.Ids;
import com.domainautomation.support.Requests;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
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
