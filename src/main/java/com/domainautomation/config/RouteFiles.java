package com.domainautomation.config;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Which route files an instance loads: those of its roles ({@code api}, {@code workers}, {@code cron}), shared first. */
final class RouteFiles {
    private RouteFiles() {}

    /**
     * The route files of the given roles, named one by one: a wildcard would make Camel inflate every entry of the
     * 60 MB jar (seconds per pattern), while the jar's directory lists them at once.
     */
    static String pattern(Set<String> roles) throws IOException {
        List<String> suffixes = new ArrayList<>(List.of("-shared.camel.yaml"));
        if (roles.contains("api")) {
            suffixes.add("-api.camel.yaml");
        }
        if (roles.contains("workers")) {
            suffixes.add("-queue.camel.yaml");
        }
        if (roles.contains("cron")) {
            suffixes.add("-cron.camel.yaml");
        }
        List<String> files = new ArrayList<>(List.of("classpath:routes/error-handling.camel.yaml"));
        // the shared files first: the others call their routes and build on their templates
        List<String> names = routeFileNames();
        names.sort(Comparator.comparing((String name) -> !name.endsWith("-shared.camel.yaml")));
        for (String name : names) {
            if (suffixes.stream().anyMatch(name::endsWith)) {
                files.add("classpath:routes/" + name);
            }
        }
        return String.join(",", files);
    }

    private static List<String> routeFileNames() throws IOException {
        URL marker = RouteFiles.class.getResource("/routes/error-handling.camel.yaml");
        if (marker == null) {
            throw new IllegalStateException("routes/ is missing from the classpath");
        }
        List<String> names = new ArrayList<>();
        if ("jar".equals(marker.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                jar.stream()
                        .map(JarEntry::getName)
                        .filter(n -> n.startsWith("routes/") && n.endsWith(".camel.yaml") && n.indexOf('/', 7) < 0)
                        .forEach(n -> names.add(n.substring(7)));
            }
        } else {
            try (var files = Files.list(Path.of(URI.create(marker.toString())).getParent())) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.endsWith(".camel.yaml"))
                        .forEach(names::add);
            }
        }
        names.sort(null);
        return names;
    }
}
