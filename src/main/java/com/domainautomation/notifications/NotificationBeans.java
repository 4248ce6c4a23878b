package com.domainautomation.notifications;

import com.domainautomation.clients.ClientDirectory;
import com.domainautomation.config.Settings;
import com.domainautomation.config.Wiring;
import com.domainautomation.domains.ActivityLog;
import com.domainautomation.support.Db;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.mustache.MustacheComponent;

/** The notifications feature's beans: composing emails, the admins' notices, the outbox, the email activity. */
public final class NotificationBeans {
    private NotificationBeans() {}

    public static void bind(Wiring w, MailOutbox outbox) {
        Settings settings = w.settings();
        w.bind(new EmailComposer(
                w.get(ClientDirectory.class),
                settings.get("mail.from"),
                settings.get("mail.link-domain"),
                settings.get("mail.admin")));
        w.bind(new AdminNotices(settings.get("mail.admin")));
        EmailTemplates templates = w.bind(new EmailTemplates(settings.get("templates.dir")));
        // the templates' partials (header, footer) are found as the templates are: TEMPLATES_DIR first
        MustacheComponent mustache = new MustacheComponent();
        mustache.setMustacheFactory(templates.mustacheFactory());
        w.bind("mustache", mustache);
        w.bind(new EmailActivity(w.get(Db.class), w.get(ActivityLog.class), w.get(MeterRegistry.class)));
        w.bind(outbox);
    }
}
