package com.domainautomation.testing;

import com.domainautomation.Application;
import com.domainautomation.config.Settings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The app in a separate JVM (to kill it, or send it signals), configured through environment variables. */
public final class ChildApp {
    private final Process process;
    private final File log;
    /** The processes the app started (its embedded redis-server), as noted by {@link #noteStartedProcesses}. */
    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();

    private ChildApp(Process process, File log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@link Application} with the settings of {@code like} (its stores, fakes, database), then {@code env}. */
    public static ChildApp start(Map<String, String> like, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder =
                new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Application.class.getName());
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
        return new ChildApp(
                builder.redirectErrorStream(true).redirectOutput(log).start(), log);
    }

    /**
     * Starts {@link Application} on its embedded defaults (its own redis-server and store in {@code DATA_DIR}, the
     * sandbox registrar, the mail outbox): no setting of the app is inherited from this JVM's environment, only
     * {@code env} is set. Its output goes to {@code log} (appended, so one file can follow a data folder's restarts).
     * The JVM is made to start fast ({@link ChildJvm}); the first call prepares that (one more start of the app).
     */
    public static ChildApp standalone(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(ChildJvm.arguments());
        command.add(Application.class.getName());
        return launch(command, env, log);
    }

    /** Runs {@code command} with the app's settings cleared from the environment, then {@code env}. */
    static ChildApp launch(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        ChildJvm.clearSettings(builder.environment());
        builder.environment().putAll(env);
        Files.createDirectories(log.toAbsolutePath().getParent());
        File file = log.toFile();
        return new ChildApp(
                builder.redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(file))
                        .start(),
                file);
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

    /**
     * Notes the processes the app has started so far (its embedded redis-server), for {@link #leftovers}. {@link #kill}
     * does it too when nothing was noted yet, but that costs a walk through the process table before the signal.
     */
    public void noteStartedProcesses() {
        if (process.isAlive()) {
            process.descendants().filter(p -> !started.contains(p)).forEach(started::add);
        }
    }

    /** SIGKILL: no shutdown hook runs; the app's embedded redis-server goes on running (the next start stops it). */
    public void kill() throws InterruptedException {
        if (started.isEmpty()) {
            noteStartedProcesses();
        }
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM and a graceful stop (which stops the embedded redis-server too); SIGKILL if it takes longer than {@code timeout}. */
    public int stop(Duration timeout) throws InterruptedException {
        noteStartedProcesses();
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    /** The processes this app started that still run after it ended (none after a graceful stop). */
    public List<ProcessHandle> leftovers() {
        return started.stream().filter(ChildApp::running).toList();
    }

    /** Ends whatever {@link #leftovers} lists: SIGTERM (redis-server then saves its append-only file), else SIGKILL. */
    public void endLeftovers() {
        for (ProcessHandle leftover : leftovers()) {
            leftover.destroy();
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> !running(leftover));
            } catch (ConditionTimeoutException e) {
                leftover.destroyForcibly();
            }
        }
    }

    /** Alive and not a zombie: an orphan whose new parent never reaps it still has a pid, but no longer runs. */
    public static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException e) {
            return handle.isAlive(); // no /proc (not Linux), or it is gone
        }
    }
}
