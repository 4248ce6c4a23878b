package com.domainautomation.dns;

import com.domainautomation.support.ApiException;
import com.domainautomation.support.Requests;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks DNS records as a client sends them and collects every problem: the type (A, AAAA, CNAME, MX, NS, SRV, TXT;
 * SOA is the registrar's), the name ({@code @}, a label or dotted labels, {@code *} as the first label), the data per
 * type, the TTL (600 s to 7 days, GoDaddy's range), MX/SRV priority, and SRV's service, protocol, port and weight.
 */
public final class DnsRecordValidator {
    public static final Set<String> TYPES = Set.of("A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT");
    /** Types GoDaddy lets us delete by type and name (NS and SOA cannot be). */
    public static final Set<String> DELETABLE = Set.of("A", "AAAA", "CNAME", "MX", "SRV", "TXT");

    private static final Set<String> FIELDS =
            Set.of("type", "name", "data", "ttl", "priority", "port", "weight", "service", "protocol");
    public static final int MIN_TTL = 600;
    public static final int MAX_TTL = 604_800;
    private static final Pattern LABEL = Pattern.compile("(?!-)[A-Za-z0-9_-]{1,63}(?<!-)");
    private static final Pattern HOST =
            Pattern.compile("^(?=.{1,253}\\.?$)((?!-)[A-Za-z0-9-]{1,63}(?<!-)\\.)*(?!-)[A-Za-z0-9-]{1,63}(?<!-)\\.?$");
    private static final Pattern IPV4 =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

    private DnsRecordValidator() {}

    /** Parses a JSON array of records; throws a 400 ApiException listing every problem. */
    public static List<DnsRecord> validate(Object value) {
        List<Map<String, Object>> problems = new ArrayList<>();
        List<DnsRecord> records = new ArrayList<>();
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw ApiException.badRequest(
                    "Send a non-empty JSON array of records", List.of(problem("records", "must be a non-empty array")));
        }
        if (list.size() > 500) {
            throw ApiException.badRequest(
                    "At most 500 records per request", List.of(problem("records", "has more than 500 records")));
        }
        for (int i = 0; i < list.size(); i++) {
            DnsRecord record = record(list.get(i), "records[" + i + "]", problems);
            if (record != null) {
                records.add(record);
            }
        }
        if (problems.isEmpty()) {
            cnameProblems(records, problems);
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(
                    "The DNS records are not valid: " + problems.size() + " problem(s)", problems);
        }
        return records;
    }

    /**
     * A CNAME makes its name an alias for another, so it can be neither at the zone apex (which holds the SOA and NS
     * records) nor beside any other record of the same name (RFC 1034 3.6.2), a second CNAME included.
     */
    private static void cnameProblems(List<DnsRecord> records, List<Map<String, Object>> problems) {
        Map<String, Long> perName = new LinkedHashMap<>();
        records.forEach(r -> perName.merge(r.name().toLowerCase(Locale.ROOT), 1L, Long::sum));
        for (int i = 0; i < records.size(); i++) {
            DnsRecord record = records.get(i);
            if (!"CNAME".equals(record.type())) {
                continue;
            }
            if (record.name().equals("@")) {
                problems.add(problem(
                        "records[" + i + "].name",
                        "a CNAME cannot be at the zone apex (@), which holds the SOA and NS records; "
                                + "use A or AAAA records there"));
            } else if (perName.get(record.name().toLowerCase(Locale.ROOT)) > 1) {
                problems.add(problem(
                        "records[" + i + "]",
                        "a CNAME must be the only record of its name, and " + record.name()
                                + " has other records in this request"));
            }
        }
    }

    /**
     * An upsert keeps the records of other types at a name: a new CNAME must not join records the registrar has at
     * its name, and a new record must not join a CNAME there (a 400 naming the record).
     */
    public static void checkBesideExisting(List<DnsRecord> records, List<Map<String, Object>> existing) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            DnsRecord record = records.get(i);
            for (Map<String, Object> current : existing) {
                String type = String.valueOf(current.get("type"));
                if (!record.name().equalsIgnoreCase(String.valueOf(current.get("name")))
                        || type.equals(record.type())) {
                    continue;
                }
                if (record.type().equals("CNAME") || type.equals("CNAME")) {
                    problems.add(problem(
                            "records[" + i + "]",
                            "a CNAME must be the only record of its name, and " + record.name() + " already has a"
                                    + (type.equals("CNAME") ? " CNAME" : "n " + type + " record")
                                    + " (delete it first)"));
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(
                    "The DNS records conflict with the domain's records: " + problems.size() + " problem(s)", problems);
        }
    }

    /** Checks a type and name for a delete; only the types GoDaddy allows to delete. */
    public static void validateDelete(String type, String name) {
        List<Map<String, Object>> problems = new ArrayList<>();
        String upper = type == null ? "" : type.toUpperCase(Locale.ROOT);
        if (!DELETABLE.contains(upper)) {
            problems.add(problem(
                    "type",
                    "records of type " + type + " cannot be deleted (deletable: A, AAAA, CNAME, MX, SRV, TXT)"));
        }
        if (!validName(name)) {
            problems.add(problem("name", "must be @ or a host name label such as www"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("This DNS record cannot be deleted", problems);
        }
    }

    private static DnsRecord record(Object raw, String at, List<Map<String, Object>> problems) {
        if (!(raw instanceof Map<?, ?> map)) {
            problems.add(problem(at, "must be an object {type, name, data, ttl}"));
            return null;
        }
        int before = problems.size();
        problems.addAll(Requests.unknownFields(map, at, FIELDS));
        String type = map.get("type") instanceof String t ? t.toUpperCase(Locale.ROOT) : null;
        if (type == null || !TYPES.contains(type)) {
            problems.add(problem(at + ".type", "must be one of A, AAAA, CNAME, MX, NS, SRV, TXT"));
        }
        String name = map.get("name") instanceof String n ? n : null;
        if (!validName(name)) {
            problems.add(problem(
                    at + ".name",
                    "must be @ or a host name such as www or *.shop (labels of letters, digits, - and _)"));
        }
        String data = map.get("data") instanceof String d ? d : null;
        if (data == null || data.isEmpty()) {
            problems.add(problem(at + ".data", "is required"));
        } else if (type != null) {
            String dataProblem = dataProblem(type, data);
            if (dataProblem != null) {
                problems.add(problem(at + ".data", dataProblem));
            }
        }
        int ttl = 3600;
        if (map.get("ttl") != null) {
            if (map.get("ttl") instanceof Integer t && t >= MIN_TTL && t <= MAX_TTL) {
                ttl = t;
            } else {
                problems.add(
                        problem(at + ".ttl", "must be a whole number of seconds from " + MIN_TTL + " to " + MAX_TTL));
            }
        }
        Integer priority = integer(map, "priority", 0, 65535, at, problems);
        if (("MX".equals(type) || "SRV".equals(type)) && priority == null && map.get("priority") == null) {
            problems.add(problem(at + ".priority", "is required for " + type + " (0 to 65535)"));
        }
        if (priority != null && !"MX".equals(type) && !"SRV".equals(type)) {
            problems.add(problem(at + ".priority", "is only for MX and SRV records"));
        }
        Integer port = null;
        Integer weight = null;
        String service = null;
        String protocol = null;
        if (type != null && !"SRV".equals(type)) {
            for (String field : List.of("port", "weight", "service", "protocol")) {
                if (map.containsKey(field)) {
                    problems.add(problem(at + "." + field, "is only for SRV records"));
                }
            }
        }
        if ("SRV".equals(type)) {
            port = integer(map, "port", 1, 65535, at, problems);
            weight = integer(map, "weight", 0, 65535, at, problems);
            service = map.get("service") instanceof String s && s.matches("_[A-Za-z0-9-]{1,62}") ? s : null;
            protocol = map.get("protocol") instanceof String p
                            && p.toLowerCase(Locale.ROOT).matches("_(tcp|udp|tls)")
                    ? p.toLowerCase(Locale.ROOT)
                    : null;
            if (port == null) {
                problems.add(problem(at + ".port", "is required for SRV (1 to 65535)"));
            }
            if (weight == null) {
                problems.add(problem(at + ".weight", "is required for SRV (0 to 65535)"));
            }
            if (service == null) {
                problems.add(problem(at + ".service", "is required for SRV, like _sip"));
            }
            if (protocol == null) {
                problems.add(problem(at + ".protocol", "is required for SRV: _tcp, _udp or _tls"));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new DnsRecord(type, name, data, ttl, priority, port, weight, service, protocol);
    }

    static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        if (name.equals("@")) {
            return true;
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            if (!(i == 0 && labels[i].equals("*")) && !LABEL.matcher(labels[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String dataProblem(String type, String data) {
        return switch (type) {
            case "A" -> IPV4.matcher(data).matches() ? null : "must be an IPv4 address, e.g. 203.0.113.10";
            case "AAAA" -> ipv6(data) ? null : "must be an IPv6 address, e.g. 2001:db8::1";
            case "CNAME", "MX", "NS", "SRV" ->
                data.equals("@") || HOST.matcher(data).matches() ? null : "must be a host name, e.g. mail.example.com";
            case "TXT" ->
                data.length() <= 1024 && data.chars().noneMatch(c -> c < 0x20 && c != '\t')
                        ? null
                        : "must be at most 1024 printable characters";
            default -> "is not valid for type " + type;
        };
    }

    private static boolean ipv6(String data) {
        if (!data.contains(":") || !data.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(data); // a literal: no lookup happens
            return address instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Integer integer(
            Map<?, ?> map, String field, int min, int max, String at, List<Map<String, Object>> problems) {
        Object value = map.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        problems.add(problem(at + "." + field, "must be a whole number from " + min + " to " + max));
        return null;
    }

    private static Map<String, Object> problem(String field, String message) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("field", field);
        problem.put("message", message);
        return problem;
    }
}
