package com.domainautomation.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.mustachejava.Mustache;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TEMPLATES_DIR: a template of the folder replaces the jar's of the same name, read anew each time. */
class EmailTemplatesFolderTest {
    @TempDir
    Path dir;

    @Test
    void the_folders_template_wins_and_a_change_is_read_at_once() throws Exception {
        EmailTemplates templates = new EmailTemplates(dir.toString());
        String jars = templates.text("domain-renewed", "txt");
        assertTrue(jars.contains("{{{body.domain}}}"), jars);

        Files.writeString(dir.resolve("domain-renewed.txt.mustache"), "Renewed: {{{body.domain}}}");
        assertEquals("Renewed: {{{body.domain}}}", templates.text("domain-renewed", "txt"));
        Files.writeString(dir.resolve("domain-renewed.txt.mustache"), "Renewed again: {{{body.domain}}}");
        assertEquals("Renewed again: {{{body.domain}}}", templates.text("domain-renewed", "txt"));
        assertEquals(jars, new EmailTemplates("").text("domain-renewed", "txt"), "no folder: the jar's");
    }

    @Test
    void partials_come_from_the_folder_first_then_the_jar() throws Exception {
        EmailTemplates templates = new EmailTemplates(dir.toString());
        String page = "{{> header.html.mustache}}<p>{{body.domain}}</p>{{> footer.html.mustache}}";
        Files.writeString(dir.resolve("footer.html.mustache"), "<footer>Example Reseller</footer>");

        Mustache mustache = templates.mustacheFactory().compile(new StringReader(page), "mustache:page");
        StringWriter out = new StringWriter();
        mustache.execute(out, Map.of("body", Map.of("domain", "example.com", "subject", "Hello")));

        assertTrue(out.toString().endsWith("<p>example.com</p><footer>Example Reseller</footer>"), out.toString());
        assertTrue(out.toString().contains("<html"), "the jar's header: " + out);
    }

    @Test
    void only_names_of_email_templates_are_read() {
        EmailTemplates templates = new EmailTemplates(dir.toString());
        for (String type : new String[] {"../../etc/passwd", "domain-renewed.txt.mustache/..", "UPPER", ""}) {
            assertThrows(UndeliverableEmailException.class, () -> templates.text(type, "txt"), type);
        }
        assertThrows(UndeliverableEmailException.class, () -> templates.text("domain-renewed", "pdf"));
    }
}
