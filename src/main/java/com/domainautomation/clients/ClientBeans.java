package com.domainautomation.clients;

import com.domainautomation.billing.WalletLedger;
import com.domainautomation.config.Settings;
import com.domainautomation.config.Wiring;
import com.domainautomation.support.AppClock;
import com.domainautomation.support.Db;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The clients feature's beans: the directory, who may call (tokens, rate limits, the audit) and the admin API. */
public final class ClientBeans {
    private static final Logger LOG = LoggerFactory.getLogger(ClientBeans.class);

    private ClientBeans() {}

    public static void bind(Wiring w) {
        Settings settings = w.settings();
        Db db = w.get(Db.class);
        AppClock clock = w.get(AppClock.class);
        ClientDirectory clients = w.bind(new ClientDirectory(db, clock, settings.get("pricing.currency")));
        int sharedEmails = clients.claimExistingEmails();
        if (sharedEmails > 0) {
            LOG.warn(
                    "{} client(s) created before emails were unique share an email with an earlier client; new clients cannot take it",
                    sharedEmails);
        }
        AdminTokens adminTokens = w.keep(new AdminTokens(
                db, clock, settings.get("admin.token"), Duration.ofMillis(settings.getInt("admin.token-overlap-ms"))));
        RateLimits limits = new RateLimits(
                w.get(RedisClient.class),
                Map.of(
                        RateLimits.Group.READS, settings.getInt("ratelimit.client-reads-per-minute"),
                        RateLimits.Group.WRITES, settings.getInt("ratelimit.client-writes-per-minute"),
                        RateLimits.Group.ADMIN, settings.getInt("ratelimit.admin-per-minute")));
        w.keep(new Authenticator(clients, adminTokens, limits, settings.get("viewer.token")));
        AuditLog audit = w.keep(new AuditLog(db, clock));
        w.bind(new AdminApi(clients, w.get(WalletLedger.class), adminTokens, audit));
    }
}
