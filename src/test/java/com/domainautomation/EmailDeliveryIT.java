package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.SharedStores;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An email is not lost while the SMTP server is down: it is retried with backoff and sent once SMTP is back. */
class EmailDeliveryIT extends AppTestSupport {

    private Path templatesDir;

    @Override
    protected void customize(Map<String, String> settings) {
        try {
            templatesDir = Files.createTempDirectory("templates-dir");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        settings.put("templates.dir", templatesDir.toString());
        settings.put("queue.email.backoff-ms", "200");
        settings.put("queue.email.backoff-max-ms", "400");
        settings.put("mail.link-domain", "https://panel.example.com/domains/{domain}");
    }

    @Test
    void an_email_waits_for_the_smtp_server_and_is_sent_once_it_is_back() {
        Client client = newClient(null);
        int port = mail.getSmtp().getPort();
        mail.stop();
        app.app()
                .context()
                .createProducerTemplate()
                .sendBodyAndHeader(
                        "redisqueue:email-notification",
                        Map.of(
                                "type",
                                "domain-registered",
                                "clientId",
                                client.id(),
                                "data",
                                Map.of("domain", "later.com", "asciiDomain", "later.com")),
                        "JobId",
                        "email:later");

        // a few attempts fail while SMTP is down; the job waits in the delayed set between them
        await().atMost(Duration.ofSeconds(10))
                .until(() -> SharedStores.redis().sync().zcard("da:q:{email-notification}:delayed") > 0);
        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 1);
        assertEquals("Your domain later.com is registered", subject());
        String text = text(mail.getReceivedMessages()[0]);
        assertTrue(text.contains("https://panel.example.com/domains/later.com"), "the link follows MAIL_LINK_DOMAIN");
        assertTrue(SharedStores.redis().sync().hlen("da:q:{email-notification}:failed") == 0, "not in the failed set");
    }

    @Test
    void a_template_in_templates_dir_replaces_the_jars_and_a_change_shows_in_the_next_email() throws Exception {
        Client client = newClient(null);
        Files.writeString(
                templatesDir.resolve("domain-registered.txt.mustache"),
                "Hi {{{body.customerName}}}, {{{body.domain}}} is yours. -- Example Reseller\n");
        Files.writeString(
                templatesDir.resolve("footer.html.mustache"), "<p>Example Reseller footer</p></body></html>\n");

        String first = text(registeredEmail(client, "first.com"));
        assertTrue(first.contains("first.com is yours. -- Example Reseller"), first);
        assertTrue(first.contains("Example Reseller footer"), "a partial from the folder: " + first);
        assertTrue(first.contains("has been registered successfully"), "the jar's HTML template still: " + first);

        Files.writeString(
                templatesDir.resolve("domain-registered.txt.mustache"), "Changed: {{{body.domain}}} registered.\n");
        String second = text(registeredEmail(client, "second.com"));
        assertTrue(second.contains("Changed: second.com registered."), "no restart needed: " + second);
    }

    /** Every text part of the message, decoded. */
    private static String text(jakarta.mail.Part part) {
        try {
            Object content = part.getContent();
            if (content instanceof jakarta.mail.Multipart multipart) {
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    all.append(text(multipart.getBodyPart(i))).append('\n');
                }
                return all.toString();
            }
            return String.valueOf(content);
        } catch (jakarta.mail.MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String subject() {
        try {
            return mail.getReceivedMessages()[0].getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
