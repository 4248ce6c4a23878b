package com.domainautomation.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An integrator's own route files ({@code ROUTES_DIR}), loaded after the jar's: a route with the id of a route already
 * running replaces it, a new id adds a route. A file written while the app runs is loaded again (the jar's routes stay).
 * A file that cannot be read, or whose routes cannot start, is refused with one log line, and the routes that ran
 * before keep running.
 */
final class ExternalRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalRoutes.class);
    /** Editors write a file in more than one go: changes this close together are loaded once. */
    private static final long SETTLE_MILLIS = 300;

    private final Path dir;
    private final CamelContext context;
    private volatile WatchService watcher;

    ExternalRoutes(Path dir, CamelContext context) {
        this.dir = dir.toAbsolutePath().normalize();
        this.context = context;
    }

    static boolean isRouteFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Every route file of the folder, by name; returns how many were taken. */
    int loadAll() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(ExternalRoutes::isRouteFile).sorted().toList();
        }
        int taken = 0;
        for (Path file : files) {
            taken += load(file) ? 1 : 0;
        }
        return taken;
    }

    /** Loads one file: its routes replace those with the same ids. False (logged) when it is refused. */
    synchronized boolean load(Path file) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> previous = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        try {
            Resource resource = PluginHelper.getResourceLoader(context).resolveResource("file:" + file);
            Collection<RoutesBuilder> builders =
                    PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource);
            for (RoutesBuilder builder : builders) {
                if (builder instanceof RouteBuilder routes) {
                    for (RouteDefinition route : routes.configureRoutes(context).getRoutes()) {
                        if (!route.hasCustomIdAssigned()) {
                            throw new IllegalArgumentException(
                                    "every route needs an id (it names the route it replaces, or the new one)");
                        }
                        ids.add(route.getRouteId());
                    }
                }
            }
            for (String id : ids) {
                RouteDefinition old = model.getRouteDefinition(id);
                if (old != null) {
                    previous.add(old);
                }
            }
            for (RoutesBuilder builder : builders) {
                builder.updateRoutesToCamelContext(context);
            }
            LOG.info(
                    "Route file {}: {} route(s) taken ({} replaced: {})",
                    file.getFileName(),
                    ids.size(),
                    previous.size(),
                    previous.stream().map(RouteDefinition::getRouteId).toList());
            return true;
        } catch (Exception e) {
            restore(model, ids, previous);
            LOG.error("Route file {} refused, the routes that ran before keep running: {}", file, oneLine(e));
            return false;
        }
    }

    /** After a refused file: its routes removed, the ones they were to replace put back. */
    private void restore(Model model, Set<String> ids, List<RouteDefinition> previous) {
        for (String id : ids) {
            try {
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
            } catch (Exception e) {
                LOG.warn("Removing route {} of a refused file: {}", id, oneLine(e));
            }
        }
        try {
            model.addRouteDefinitions(previous);
        } catch (Exception e) {
            LOG.error("Putting back routes {} failed: {}", ids, oneLine(e));
        }
    }

    /** Loads each route file written to the folder from now on, until {@link #close}. */
    void watch() throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        Thread thread = new Thread(this::watchLoop, "routes-dir-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Watching {} for route files (*.yaml)", dir);
    }

    private void watchLoop() {
        WatchService service = watcher;
        while (true) {
            WatchKey key;
            try {
                key = service.take();
                Thread.sleep(SETTLE_MILLIS);
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                return;
            }
            Set<Path> changed = new LinkedHashSet<>();
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.context() instanceof Path name && isRouteFile(name)) {
                    changed.add(dir.resolve(name));
                }
            }
            key.reset();
            changed.stream().filter(Files::isRegularFile).forEach(this::load);
        }
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        StringBuilder line = new StringBuilder();
        while (root != null) {
            if (root.getMessage() != null && !line.toString().contains(root.getMessage())) {
                line.append(line.isEmpty() ? "" : "; ").append(root.getMessage());
            }
            root = root.getCause() == root ? null : root.getCause();
        }
        String flat = line.toString().replaceAll("\\s+", " ").trim();
        return flat.length() > 600 ? flat.substring(0, 600) + "…" : flat;
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }
}
