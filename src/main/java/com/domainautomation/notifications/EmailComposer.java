package com.domainautomation.notifications;

import com.domainautomation.clients.ClientDirectory;
import java.time.Year;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Body;
import org.bson.Document;

/**
 * Turns an email job {@code {type, clientId, domainId, data}} into the model of its mustache templates and the mail
 * headers. A job for a client that no longer exists, or without a valid address, cannot succeed later either:
 * {@link UndeliverableEmailException}, failed at once without retries.
 */
public class EmailComposer {
    /** Subject per email type; each {@code {name}} is replaced by the job's {@code data.name} (empty when absent). */
    private static final Map<String, String> SUBJECTS = Map.ofEntries(
            Map.entry("domain-registered", "Your domain {domain} is registered"),
            Map.entry("domain-registration-failed", "We could not register {domain}"),
            Map.entry("domain-renewed", "Your domain {domain} is renewed"),
            Map.entry("domain-renewal-failed", "We could not renew {domain}"),
            Map.entry("domain-expiring", "{domain} expires in {daysLeft} day(s)"),
            Map.entry("domain-expired", "{subjectPrefix}{domain} has expired"),
            Map.entry("domain-transfer-complete", "The transfer of {domain} is complete"),
            Map.entry("domain-transfer-failed", "The transfer of {domain} failed"),
            Map.entry("domain-transfer-update", "The transfer of {domain}: {status}"),
            Map.entry("dns-update-failed", "A DNS change for {domain} failed"),
            Map.entry("auto-renew-failed", "Auto-renewal of {domain} failed"),
            Map.entry(AdminNotices.TYPE, "[Domain Automation] {queue} job failed: {jobId}"));
    /** Exchange property: the email job as it came from the queue. */
    public static final String JOB_PROPERTY = "emailJob";

    /** In the domain link's pattern: the domain's ASCII name. */
    public static final String DOMAIN_PLACEHOLDER = "{domain}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final ClientDirectory clients;
    private final String from;
    private final String domainLink;
    private final String adminAddress;

    public EmailComposer(ClientDirectory clients, String from, String domainLink) {
        this(clients, from, domainLink, "");
    }

    /**
     * {@code domainLink}: the pattern of a domain's link in the reseller's customer panel, {@code {domain}} standing for
     * the ASCII name; blank for none (the emails then have no button).
     */
    public EmailComposer(ClientDirectory clients, String from, String domainLink, String adminAddress) {
        this.clients = clients;
        this.from = from;
        this.domainLink = domainLink == null ? "" : domainLink.trim();
        this.adminAddress = adminAddress;
    }

    public static boolean knownType(String type) {
        return SUBJECTS.containsKey(type);
    }

    /** An email ready to render: its type (the templates' name), addresses, subject, and the templates' model. */
    public record Email(String type, String to, String from, String subject, Map<String, Object> model) {}

    /**
     * The job's email: the recipient is the client (or the admin for an admin notice). Unknown type, client or
     * address: {@link UndeliverableEmailException} (failed at once, not retried).
     */
    @SuppressWarnings("unchecked")
    public Email compose(@Body Map<String, Object> job) {
        String type = String.valueOf(job.get("type"));
        if (!knownType(type)) {
            throw new UndeliverableEmailException("unknown email type '" + type + "'");
        }
        String to;
        String name;
        if (AdminNotices.TYPE.equals(type)) {
            to = adminAddress;
            name = "admin";
            if (!ClientDirectory.validEmail(to)) {
                throw new UndeliverableEmailException("no valid admin address (mail.admin) for an admin notice");
            }
        } else {
            Object clientId = job.get("clientId");
            Document client = clientId == null ? null : clients.find(clientId.toString());
            if (client == null) {
                throw new UndeliverableEmailException("client " + clientId + " no longer exists");
            }
            to = client.getString("email");
            name = client.getString("name");
            if (!ClientDirectory.validEmail(to)) {
                throw new UndeliverableEmailException("client " + clientId + " has no valid email address");
            }
        }
        Map<String, Object> data = job.get("data") instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        Map<String, Object> model = new LinkedHashMap<>(data);
        model.put("customerName", name);
        if (!domainLink.isEmpty() && model.get("asciiDomain") instanceof String ascii) {
            model.put("dashboardUrl", domainLink.replace(DOMAIN_PLACEHOLDER, ascii));
        }
        model.put("year", Year.now().getValue());
        String subject = subject(SUBJECTS.get(type), data);
        model.put("subject", subject);
        return new Email(type, to, from, subject, model);
    }

    /** The subject template with each {@code {name}} replaced by {@code data.name}; absent or null values become "". */
    private static String subject(String template, Map<String, Object> data) {
        return PLACEHOLDER.matcher(template).replaceAll(match -> {
            Object value = data.get(match.group(1));
            return Matcher.quoteReplacement(value == null ? "" : value.toString());
        });
    }
}
