package com.domainautomation.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;

/**
 * The one reader of API request bodies. A body is taken only as one well-formed JSON document: sent with
 * {@code Content-Type: application/json} (UTF-8), not encoded ({@code Content-Encoding}), at most
 * {@value #MAX_BODY_BYTES} bytes of valid UTF-8, with no duplicate keys, nothing after the document, and nesting
 * at most {@value #MAX_DEPTH} deep. Anything else is a 4xx with the JSON error (415, 413 or 400).
 */
public final class Requests {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_DEPTH = 16;

    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Requests() {}

    /** The body of an API bean's {@code @Body JsonRequest} (null when the request had none) as a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> jsonObject(JsonRequest request, String example) {
        Object value = json(request, example);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new ApiException(400, "invalid_json", "The request body must be a JSON object like " + example);
    }

    /** The body of an API bean's {@code @Body JsonRequest} (null when the request had none) as any JSON document. */
    public static Object json(JsonRequest request, String example) {
        if (request == null) { // no body at all: Camel binds no JsonRequest
            throw new ApiException(400, "invalid_json", "The request body must be JSON like " + example);
        }
        checkHeaders(request.contentType(), request.contentEncoding());
        byte[] bytes = request.bytes();
        if (bytes == null || bytes.length == 0) {
            throw new ApiException(400, "invalid_json", "The request body must be JSON like " + example);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(
                    413, "body_too_large", "The request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "invalid_utf8", "The request body is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw new ApiException(400, "invalid_json", "The request body must be JSON like " + example);
        }
        try {
            return STRICT.readValue(text, Object.class);
        } catch (StreamConstraintsException e) {
            throw new ApiException(400, "invalid_json", "The request body nests deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw new ApiException(
                    400,
                    "invalid_json",
                    "The request body must be one JSON document like " + example + " (" + e.getOriginalMessage() + ")");
        }
    }

    /**
     * One problem ({@code {field, message}}) for every key of {@code object} not in {@code known}, so a misspelt field
     * is refused instead of silently dropped. {@code prefix} places the object in the body ("" at the top).
     */
    public static List<Map<String, Object>> unknownFields(Map<?, ?> object, String prefix, Set<String> known) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (Object key : object.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("field", prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key);
                problem.put("message", "is not a known field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
                problems.add(problem);
            }
        }
        return problems;
    }

    /** Refuses the body with a 400 naming every field of {@code object} not in {@code known}. */
    public static void rejectUnknownFields(Map<?, ?> object, Set<String> known) {
        List<Map<String, Object>> problems = unknownFields(object, "", known);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(
                    "Unknown field(s): "
                            + String.join(
                                    ", ",
                                    problems.stream()
                                            .map(p -> (String) p.get("field"))
                                            .toList()),
                    problems);
        }
    }

    /** A {@code ?limit=} parameter: 100 when absent, else a whole number from 1 to 1000 (or a 400). */
    public static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw ApiException.badRequest(
                "limit must be a whole number from 1 to 1000",
                List.of(Map.of("field", "limit", "message", "from 1 to 1000")));
    }

    /**
     * Whether {@code text} is plain text for a name, address or note: no control characters, no invisible or
     * bidirectional-control (format) characters, and no markup ({@code <} or {@code >}).
     */
    public static boolean isPlainText(String text) {
        return text.codePoints()
                .noneMatch(c ->
                        Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == '<' || c == '>');
    }

    /**
     * Refuses a query string with a parameter not in {@code known}, or one given twice (which value would count?):
     * a 400 naming it, so that {@code ?limit[$gt]=0} or a misspelt {@code ?limt=5} is not silently ignored.
     */
    public static void rejectUnknownQuery(Exchange exchange, Set<String> known) {
        String query = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (query == null) {
            query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        }
        rejectUnknownQuery(query, known);
    }

    /**
     * A 400 for a query parameter not in {@code known}, or given twice; {@code query} is the raw query string (a bean
     * takes it with {@code @Header(Exchange.HTTP_RAW_QUERY)}).
     */
    public static void rejectUnknownQuery(String query, Set<String> known) {
        if (query == null || query.isEmpty()) {
            return;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (String pair : query.split("&", -1)) {
            String raw = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            String name;
            try {
                name = java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                name = raw;
            }
            if (!known.contains(name)) {
                throw ApiException.badRequest(
                        "Unknown query parameter " + name + " (known: " + String.join(", ", new TreeSet<>(known)) + ")",
                        List.of(Map.of("field", name, "message", "is not a known query parameter")));
            }
            if (!seen.add(name)) {
                throw ApiException.badRequest(
                        "The query parameter " + name + " is given twice",
                        List.of(Map.of("field", name, "message", "is given twice")));
            }
        }
    }

    /** The header in which the HTTP server gives the peer's address (a Vert.x {@code SocketAddress}). */
    public static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    /** The address the request came from (the peer of the connection; no proxy header is trusted). */
    public static String callerIp(Exchange exchange) {
        return callerIp(exchange.getMessage().getHeader(REMOTE_ADDRESS));
    }

    /** {@link #callerIp(Exchange)} from the header's value. */
    public static String callerIp(Object remote) {
        if (remote instanceof io.vertx.core.net.SocketAddress address && address.hostAddress() != null) {
            return address.hostAddress();
        }
        return remote == null ? "unknown" : remote.toString();
    }

    private static void checkHeaders(String contentType, String encoding) {
        if (contentType == null || !jsonContentType(contentType)) {
            throw new ApiException(
                    415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
        }
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "Content-Encoding " + encoding.trim() + " is not accepted; send the body as is");
        }
    }

    /** {@code application/json}, optionally with {@code charset=utf-8} and nothing else. */
    static boolean jsonContentType(String header) {
        String[] parts = header.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].trim().equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().replace("\"", "");
            if (!parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }
}
