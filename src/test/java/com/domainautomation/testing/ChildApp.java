package com.domainautomation.testing;

import com.domainautomation.Application;
import com.domainautomation.config.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The app in a separate JVM (to kill it, or send it signals), configured through environment variables. */
public final class ChildApp {
    private final Process process;
    private final File log;

    private ChildApp(Process process, File log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@link Application} with the settings of {@code like} (its stores, fakes, database), then {@code env}. */
    public static ChildApp start(Map<String, String> like, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Application.class.getName());
        builder.environment().keySet().removeIf(k -> k.equals("HTTP_PORT") || k.endsWith("_URL") || k.endsWith("_URI"));
        like.forEach((key, value) -> {
            if (!key.startsWith("camel.")) {
                builder.environment().put(Settings.envName(key), value);
            }
        });
        builder.environment().put("HTTP_PORT", Integer.toString(TestApp.freePort()));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(TestApp.freePort()));
        builder.environment().put("DATA_DIR", TestApp.tempDir().toString());
        builder.environment().putAll(env);
        File log = File.createTempFile("child-app", ".log");
        return new ChildApp(builder.redirectErrorStream(true).redirectOutput(log).start(), log);
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.readString(log.toPath());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
