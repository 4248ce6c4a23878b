package com.domainautomation.config;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary shipped in embedded-redis) on a free loopback port, with its append-only
 * file in {@code dir}, so queued jobs survive a restart. A server left running by a process that was killed is
 * shut down cleanly (its AOF flushed) before a new one takes the folder.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final RedisServer server;
    private final int port;
    private final Path dir;

    private EmbeddedRedis(RedisServer server, int port, Path dir) {
        this.server = server;
        this.port = port;
        this.dir = dir;
    }

    public static EmbeddedRedis start(Path dir) throws IOException {
        return start(dir, true);
    }

    /** {@code appendOnly=false} only for benchmarks that compare with a Redis without persistence. */
    public static EmbeddedRedis start(Path dir, boolean appendOnly) throws IOException {
        Files.createDirectories(dir);
        stopLeftover(dir);
        int port = freePort();
        RedisServer server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("dir " + dir)
                .setting(appendOnly ? "appendonly yes" : "appendonly no")
                .setting("appendfsync everysec")
                .setting("save \"\"")
                .setting("pidfile " + dir.resolve("redis.pid"))
                .build();
        server.start();
        Files.writeString(dir.resolve("embedded.port"), Integer.toString(port));
        return new EmbeddedRedis(server, port, dir);
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        shutdown(port);
        server.stop();
        Files.deleteIfExists(dir.resolve("embedded.port"));
    }

    private static void stopLeftover(Path dir) {
        Path portFile = dir.resolve("embedded.port");
        if (!Files.exists(portFile)) {
            return;
        }
        try {
            int oldPort = Integer.parseInt(Files.readString(portFile).trim());
            if (shutdown(oldPort)) {
                LOG.warn("Stopped an embedded redis-server left running on port {} by an earlier process", oldPort);
            }
            Files.deleteIfExists(portFile);
        } catch (IOException | NumberFormatException e) {
            LOG.debug("No leftover embedded redis: {}", e.getMessage());
        }
    }

    private static boolean shutdown(int port) {
        RedisURI uri = RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port)
                .withTimeout(Duration.ofSeconds(2))
                .build();
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().shutdown(false); // AOF is fsynced on shutdown
            return true;
        } catch (RuntimeException e) {
            return false; // nothing answers there, or it went away while shutting down
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
