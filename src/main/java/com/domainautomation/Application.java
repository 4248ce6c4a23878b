package com.domainautomation;

import com.domainautomation.config.App;
import com.domainautomation.config.Settings;
import com.domainautomation.support.AppClock;
import java.util.Map;

/** Entry point: checks the configuration, then runs the app until SIGTERM/SIGINT, and exits 0 after a clean stop. */
public final class Application {
    private Application() {}

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.load(System.getenv(), System.getProperties(), Map.of());
        } catch (Settings.InvalidSettingException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        App app = new App(settings, AppClock.system());
        // SIGTERM/SIGINT: a graceful stop, then exit 0 (a JVM ended by the signal itself would exit 143).
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> app.requestStop());
        }
        try {
            app.run();
        } catch (java.io.IOException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
