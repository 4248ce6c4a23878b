package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.SharedStores;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An email is not lost while the SMTP server is down: it is retried with backoff and sent once SMTP is back. */
class EmailDeliveryIT extends AppTestSupport {

    @Override
    protected void customize(Map<String, String> settings) {
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
