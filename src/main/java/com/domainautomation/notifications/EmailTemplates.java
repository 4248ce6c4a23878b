package com.domainautomation.notifications;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import com.github.mustachejava.MustacheNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The email templates: a file of the same name in {@code TEMPLATES_DIR} replaces the jar's
 * ({@code templates/email/<name>}), read anew for every email, so a change shows in the next one without a restart. The
 * partials the templates include (header, footer) are found the same way.
 */
public class EmailTemplates {
    static final String JAR_FOLDER = "templates/email/";

    private final Path dir;

    /** {@code dir}: the folder of templates that replace the jar's; null or blank for none. */
    public EmailTemplates(String dir) {
        this.dir = dir == null || dir.isBlank()
                ? null
                : Path.of(dir).toAbsolutePath().normalize();
    }

    /** The text of an email type's template, {@code format} html or txt: the folder's if it has one, else the jar's. */
    public String text(String type, String format) {
        String name = type + "." + format + ".mustache";
        if (!name.matches("[a-z0-9-]+\\.(html|txt)\\.mustache")) {
            throw new UndeliverableEmailException("no template for email type '" + type + "'");
        }
        try (Reader reader = reader(name)) {
            StringWriter text = new StringWriter();
            reader.transferTo(text);
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the Mustache component compiles with: partials found in the folder first, then in the jar. */
    public MustacheFactory mustacheFactory() {
        return new DefaultMustacheFactory(
                name -> reader(Path.of(name).getFileName().toString()));
    }

    private Reader reader(String name) {
        if (dir != null) {
            Path file = dir.resolve(name).normalize();
            if (file.startsWith(dir) && Files.isRegularFile(file)) {
                try {
                    return new StringReader(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        InputStream in = EmailTemplates.class.getClassLoader().getResourceAsStream(JAR_FOLDER + name);
        if (in == null) {
            throw new MustacheNotFoundException(name);
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
