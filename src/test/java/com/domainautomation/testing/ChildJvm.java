package com.domainautomation.testing;

import com.domainautomation.Application;
import com.domainautomation.config.Settings;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * How a standalone {@link ChildApp} JVM is launched, made once per test JVM: a short-lived JVM (the client compiler
 * alone, the serial collector), the test class path as jars only (each class folder packed into a jar), and a
 * class-data archive (AppCDS) that one throwaway start of the app writes when it exits, so every later start maps the
 * classes it needs instead of loading and verifying them again. On 2 busy cores that halves a start; a test that
 * restarts the app twenty times needs it. If the archive cannot be written, starts go without it.
 */
final class ChildJvm {
    private static List<String> options;
    private static String classPath;

    private ChildJvm() {}

    /** The JVM options, then {@code -cp} and the class path, for a standalone child. */
    static synchronized List<String> arguments() {
        if (options == null) {
            prepare();
        }
        List<String> arguments = new ArrayList<>(options);
        arguments.add("-cp");
        arguments.add(classPath);
        return arguments;
    }

    /** The app's own settings cleared from an inherited environment, and Camel's JMX off as in {@link TestApp}. */
    static void clearSettings(Map<String, String> environment) {
        for (String key :
                Settings.load(Map.of(), new Properties(), Map.of()).all().keySet()) {
            environment.remove(Settings.envName(key));
        }
        environment.put("CAMEL_MAIN_JMXENABLED", "false");
    }

    private static void prepare() {
        try {
            Path dir = Files.createTempDirectory("child-jvm");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    entries.add(pack(path, dir.resolve("classes-" + entries.size() + ".jar"))
                            .toString());
                } else if (Files.isRegularFile(path)) {
                    entries.add(entry);
                }
            }
            classPath = String.join(File.pathSeparator, entries);
            options = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC"));
            Path archive = dir.resolve("app.jsa");
            writeArchive(archive, dir);
            if (Files.isRegularFile(archive)) {
                options.add("-XX:SharedArchiveFile=" + archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One start of the app on a throwaway data folder, until its API answers, then a graceful stop that writes the archive. */
    private static void writeArchive(Path archive, Path dir) throws IOException {
        int httpPort = TestApp.freePortOutsideEphemeralRange();
        int managementPort = TestApp.freePortOutsideEphemeralRange();
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("ADMIN_TOKEN", TestApp.ADMIN_TOKEN);
        List<String> command = new ArrayList<>(options);
        command.add("-XX:ArchiveClassesAtExit=" + archive);
        command.add("-cp");
        command.add(classPath);
        command.add(Application.class.getName());
        long began = System.nanoTime();
        ChildApp app = ChildApp.launch(command, env, dir.resolve("archive.log"));
        ApiClient api = new ApiClient("http://127.0.0.1:" + httpPort);
        ApiClient management = new ApiClient("http://127.0.0.1:" + managementPort);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> !app.process().isAlive()
                            || management.get("/observe/health", null).status() == 200
                                    && api.get("/api/admin/ledger/verify", TestApp.ADMIN_TOKEN)
                                                    .status()
                                            == 200);
            app.stop(Duration.ofSeconds(60));
            System.out.printf(
                    "Class-data archive for child JVMs: %s, %d MB, made in %.1f s%n",
                    Files.isRegularFile(archive) ? "written" : "NOT written",
                    Files.isRegularFile(archive) ? Files.size(archive) >> 20 : 0,
                    (System.nanoTime() - began) / 1e9);
        } catch (RuntimeException | InterruptedException e) {
            System.err.println(
                    "No class-data archive for child JVMs (" + e + "); they start without one. Log:\n" + app.log());
            app.process().destroyForcibly();
        } finally {
            app.endLeftovers();
        }
    }

    private static Path pack(Path folder, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = folder.relativize(file).toString().replace(File.separatorChar, '/');
                if (name.isEmpty()) {
                    continue;
                }
                if (Files.isDirectory(file)) {
                    zip.putNextEntry(new JarEntry(name + "/"));
                } else {
                    zip.putNextEntry(new JarEntry(name));
                    Files.copy(file, zip);
                }
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: nothing to do
        }
    }
}
