package com.domainautomation;

import com.domainautomation.config.App;
import com.domainautomation.config.Settings;
import com.domainautomation.support.AppClock;
import java.util.Map;

/** Entry point: checks the configuration, then runs the app until SIGTERM/SIGINT. */
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
        try {
            new App(settings, AppClock.system()).run();
        } catch (java.io.IOException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(1);
        }
    }
}
