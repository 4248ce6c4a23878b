package com.domainautomation.config;

import com.domainautomation.registrar.SandboxRegistrar;
import com.domainautomation.store.EmbeddedMongo;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the app runs on: Redis, MongoDB and the registrar, each started embedded when its setting is blank (redis.url,
 * mongodb.uri, godaddy.api.key) or reached at the address given; with one line each for the start-up summary. What
 * it starts is pushed on {@code closeables}, to be closed in reverse order.
 */
record Dependencies(RedisClient redis, Db db, String registrarUrl, List<String> summary) {

    static Dependencies start(Settings settings, AppClock clock, Deque<AutoCloseable> closeables) throws Exception {
        List<String> summary = new ArrayList<>();
        var dataDir = Files.createDirectories(settings.dataDir());

        String redisUrl = settings.get("redis.url");
        if (redisUrl.isBlank()) {
            EmbeddedRedis redis = EmbeddedRedis.start(dataDir.resolve("redis"));
            closeables.push(redis);
            redisUrl = redis.url();
            summary.add("Redis     : EMBEDDED redis-server at " + redisUrl + ", AOF in " + dataDir.resolve("redis"));
        } else {
            summary.add("Redis     : external " + redact(redisUrl));
        }
        RedisURI redisUri = RedisURI.create(redisUrl);
        redisUri.setTimeout(Duration.ofSeconds(10));
        RedisClient redisClient = RedisClient.create(redisUri);
        redisClient.setOptions(ClientOptions.builder().autoReconnect(true).build());
        closeables.push(() -> redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2)));

        String mongoUri = settings.get("mongodb.uri");
        boolean embeddedStore = mongoUri.isBlank();
        if (embeddedStore) {
            EmbeddedMongo mongo = EmbeddedMongo.start(dataDir.resolve("mongo.mv"), settings.get("embedded.sync"));
            closeables.push(mongo);
            mongoUri = mongo.uri();
            summary.add("MongoDB   : EMBEDDED mongo-java-server (H2 file " + dataDir.resolve("mongo.mv")
                    + ", each answered write committed"
                    + (settings.get("embedded.sync").equals("fsync") ? " and fsynced)" : ")"));
        } else {
            summary.add("MongoDB   : external " + redact(mongoUri) + " (writes acknowledged by a majority, journaled)");
        }
        ConnectionString connection = new ConnectionString(mongoUri);
        MongoClientSettings.Builder mongoSettings = MongoClientSettings.builder()
                .applyConnectionString(connection)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS));
        if (connection.getWriteConcern() == null) {
            // an answered write must survive the primary failing: on a majority of members and in their journals
            mongoSettings.writeConcern(WriteConcern.MAJORITY.withJournal(true));
        }
        MongoClient mongoClient = MongoClients.create(mongoSettings.build());
        closeables.push(mongoClient);
        MongoDatabase database = mongoClient.getDatabase(settings.get("mongodb.database"));
        Db db = embeddedStore ? Db.embedded(database) : new Db(database);
        db.ensureIndexes();

        String registrarUrl = settings.get("godaddy.api.url");
        if (settings.sandboxRegistrar()) {
            SandboxRegistrar sandbox =
                    SandboxRegistrar.start(db, clock, Duration.ofMillis(settings.getInt("sandbox.transfer-delay-ms")));
            closeables.push(sandbox);
            registrarUrl = sandbox.url();
            summary.add(
                    "Registrar : SANDBOX at " + registrarUrl + " -- IT BUYS NOTHING (set GODADDY_API_KEY for GoDaddy)");
        } else {
            summary.add("Registrar : GoDaddy at " + registrarUrl);
        }
        return new Dependencies(redisClient, db, registrarUrl, summary);
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
