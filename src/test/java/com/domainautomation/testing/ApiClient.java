package com.domainautomation.testing;

import com.domainautomation.support.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small real HTTP client for the app's API. */
public final class ApiClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final List<Exchanged> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One request this client sent and the answer it got, for the API contract check ({@link ApiContract}). */
    public record Exchanged(String method, String path, Response response) {}

    /** Every request sent so far, with its answer. */
    public List<Exchanged> seen() {
        return List.copyOf(seen);
    }

    public ApiClient(String base) {
        this.base = base;
    }

    /**
     * Status, raw body, the body parsed as JSON (a Map, a List, or null when it is not JSON), and the headers (names in
     * lower case, first value).
     */
    public record Response(int status, String text, Object json, Map<String, String> headers) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> map() {
            return (Map<String, Object>) json;
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list() {
            return (List<Map<String, Object>>) json;
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** The address of {@code path} on this API. */
    public URI uri(String path) {
        return URI.create(base + path);
    }

    public Response get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token, Map.of());
    }

    public Response post(String path, String token, Object body) {
        return post(path, token, body, Map.of());
    }

    public Response post(String path, String token, Object body, Map<String, String> headers) {
        String text = body instanceof String s ? s : Json.write(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        return send(request, token, headers);
    }

    public Response patch(String path, String token, Object body) {
        String text = body instanceof String s ? s : Json.write(body);
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(text)),
                token,
                Map.of());
    }

    public Response send(HttpRequest.Builder request, String token, Map<String, String> headers) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> answered = new java.util.TreeMap<>();
            response.headers()
                    .map()
                    .forEach((name, values) -> answered.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            Response answer = new Response(response.statusCode(), response.body(), parse(response.body()), answered);
            HttpRequest sent = response.request();
            seen.add(new Exchanged(sent.method(), sent.uri().getRawPath(), answer));
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(String text) {
        try {
            return text == null || text.isBlank() ? null : Json.MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
