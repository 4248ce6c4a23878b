package com.domainautomation.notifications;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * With no SMTP server configured, each email is written to the outbox folder as one {@code .eml} file (the same
 * multipart/alternative message SMTP would carry), which any mail client opens.
 */
public class MailOutbox {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final Path folder;

    public MailOutbox(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    public Path folder() {
        return folder;
    }

    /** Route step: the body is the HTML part, {@code CamelMailAlternativeBody} the plain-text part. */
    public void write(
            @Body String htmlPart,
            @Header("CamelMailAlternativeBody") String textPart,
            @Header("From") String from,
            @Header("To") String to,
            @Header("Subject") String subject,
            @Header("emailType") String type)
            throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        message.setSubject(subject, "UTF-8");
        message.setSentDate(new Date());
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(textPart, "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(htmlPart, "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.saveChanges();

        String name = Instant.now().toString().replace(":", "").replace(".", "") + "-" + SEQUENCE.incrementAndGet()
                + "-" + (type == null ? "email" : type) + ".eml";
        Path temp = folder.resolve("." + name + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            message.writeTo(out);
        }
        Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
