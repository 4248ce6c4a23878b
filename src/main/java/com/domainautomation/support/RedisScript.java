package com.domainautomation.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * One Lua script that answers an integer, run by its SHA on a connection of its own (opened at first use), and
 * loaded again if Redis forgot it (a restart).
 */
public final class RedisScript {
    private final RedisClient client;
    private final String script;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile String sha;

    public RedisScript(RedisClient client, String script) {
        this.client = client;
        this.script = script;
    }

    /** Runs the script on {@code key} with {@code args}. */
    public long run(String key, String... args) {
        try {
            return (Long) connection().sync().evalsha(sha(), ScriptOutputType.INTEGER, new String[] {key}, args);
        } catch (RedisNoScriptException e) {
            sha = null; // Redis restarted and forgot the script
            return (Long) connection().sync().evalsha(sha(), ScriptOutputType.INTEGER, new String[] {key}, args);
        }
    }

    private String sha() {
        String current = sha;
        if (current == null) {
            current = connection().sync().scriptLoad(script);
            sha = current;
        }
        return current;
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (this) {
                if (connection == null) {
                    connection = client.connect();
                }
                current = connection;
            }
        }
        return current;
    }
}
