package com.domainautomation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.domainautomation.testing.ApiClient;
import com.domainautomation.testing.AppTestSupport;
import com.domainautomation.testing.TestApp;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The queue console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; nothing is
 * downloaded): the page loads with no console errors, its counts are the API's, a search by domain finds that domain's
 * registration and email jobs, a failed job is retried from the page and completes, a queue paused from the page
 * takes no job until it is resumed there, and the viewer token sees the page with every action disabled.
 */
class QueueConsoleIT extends AppTestSupport {
    private static final String VIEWER_TOKEN = "test-viewer-token-0123456789";
    private static final Set<String> COUNTS = Set.of("waiting", "active", "delayed", "failed", "completed");

    private WebDriver browser;
    private WebDriverWait wait;
    private final List<LogEntry> browserLog = new ArrayList<>();

    @Override
    protected void customize(Map<String, String> settings) {
        settings.put("viewer.token", VIEWER_TOKEN);
    }

    @BeforeEach
    void openBrowser() {
        String chromium = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        assertTrue(
                Files.isExecutable(Path.of(chromium)) && Files.isExecutable(Path.of(driver)),
                "the console test needs Chromium and its driver: apt-get install chromium chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1000",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class); // a table re-rendered while it was read
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        // the pause is a Redis key: never leave it behind
        app.api().post("/api/admin/queues/email-notification/resume", TestApp.ADMIN_TOKEN, Map.of());
    }

    @Test
    void an_operator_finds_retries_and_pauses_from_the_page_and_a_viewer_only_looks() {
        browser.get("http://127.0.0.1:" + app.settings().get("management.port") + "/observe/console");
        signIn(TestApp.ADMIN_TOKEN);
        assertEquals("admin", text(By.id("role")));
        awaitCountsAsTheApiSays();

        // a domain bought through the API: its registration and email jobs, found by its name
        Client client = newClient("50.00");
        godaddy.purchaseSucceeds("console-find.com");
        assertEquals(202, checkout(client, cart("console-find.com")).status());
        awaitStatus(client, "console-find.com", "active");
        awaitEmails(1);
        new Select(browser.findElement(By.id("search-by"))).selectByValue("domain");
        browser.findElement(By.id("search-value")).sendKeys("console-find.com");
        wait.until(d -> {
            d.findElement(By.id("search-go")).click();
            return searchResults()
                    .equals(Map.of("domain-registration", "completed", "email-notification", "completed"));
        });

        // a failed job (its client was gone) retried from the page, now that the client is back
        Client gone = newClient(null);
        Document stored =
                app.db().get("clients").find(new Document("_id", gone.id())).first();
        app.db().get("clients").deleteOne(new Document("_id", gone.id()));
        queueRegisteredEmail(gone, "retry-me.com");
        await().atMost(Duration.ofSeconds(10)).until(() -> failedEmails().size() == 1);
        app.db().get("clients").insertOne(stored);
        click(emailButton("show-failed"));
        String failedJob = failedEmails().get(0);
        click(By.cssSelector("#failed-jobs tr[data-job='" + failedJob + "'] button.retry"));
        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 2);
        wait.until(d -> "0".equals(cell("email-notification", "failed"))
                && d.findElements(By.cssSelector("#failed-jobs tr")).isEmpty());
        assertTrue(failedEmails().isEmpty());

        // paused from the page: a new email waits until the page resumes the queue
        click(emailButton("pause"));
        wait.until(d -> "paused".equals(cell("email-notification", "paused")));
        assertEquals(true, queueStats("email-notification").get("paused"), "the page paused it through the admin API");
        queueRegisteredEmail(client, "paused.com");
        wait.until(d -> "1".equals(cell("email-notification", "waiting")));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> mail.getReceivedMessages().length == 2);
        click(emailButton("resume"));
        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 3);
        wait.until(d -> "running".equals(cell("email-notification", "paused")));
        awaitCountsAsTheApiSays();

        // the viewer sees the same page, with every action disabled
        browser.findElement(By.id("sign-out")).click();
        signIn(VIEWER_TOKEN);
        assertEquals("viewer", text(By.id("role")));
        awaitCountsAsTheApiSays();
        List<WebElement> actions = browser.findElements(By.cssSelector("button.action"));
        assertTrue(actions.size() >= 8, "pause buttons, retry buttons, run-now buttons: " + actions.size());
        assertTrue(actions.stream().noneMatch(WebElement::isEnabled), "a viewer can change nothing");

        List<LogEntry> errors = consoleLog().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertTrue(errors.isEmpty(), "errors in the browser console: " + errors);
    }

    private void signIn(String token) {
        WebElement field = wait.until(d -> d.findElement(By.id("token")));
        wait.until(d -> field.isDisplayed());
        field.sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        wait.until(d -> d.findElement(By.id("app")).isDisplayed()
                && !d.findElements(By.cssSelector("#queues tbody tr")).isEmpty());
    }

    /** The page's count cells equal what the admin API answers now, for every queue (once the page has refreshed). */
    private void awaitCountsAsTheApiSays() {
        wait.until(d -> {
            for (Map<String, Object> queue :
                    app.api().get("/api/admin/queues", TestApp.ADMIN_TOKEN).list()) {
                String name = (String) queue.get("queue");
                for (String count : COUNTS) {
                    if (!String.valueOf(queue.get(count)).equals(cell(name, count))) {
                        return false;
                    }
                }
                if (!(Boolean.TRUE.equals(queue.get("paused")) ? "paused" : "running").equals(cell(name, "paused"))) {
                    return false;
                }
            }
            return true;
        });
    }

    private String cell(String queue, String column) {
        List<WebElement> cells =
                browser.findElements(By.cssSelector("#queues tr[data-queue='" + queue + "'] td." + column));
        return cells.isEmpty() ? null : cells.get(0).getText();
    }

    private static By emailButton(String action) {
        return By.cssSelector("#queues tr[data-queue='email-notification'] button." + action);
    }

    /** Clicks the element once it is there, again if the table was re-rendered under it (refreshed every 3 s). */
    private void click(By element) {
        wait.until(d -> {
            d.findElement(element).click();
            return true;
        });
    }

    private Map<String, String> searchResults() {
        return browser.findElements(By.cssSelector("#search-results tr")).stream()
                .collect(Collectors.toMap(
                        row -> row.getDomAttribute("data-queue"),
                        row -> row.findElement(By.cssSelector("td.state")).getText(),
                        (a, b) -> a + "," + b));
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    private List<LogEntry> consoleLog() {
        browserLog.addAll(browser.manage().logs().get(LogType.BROWSER).getAll());
        return browserLog;
    }

    private List<String> failedEmails() {
        ApiClient.Response failed = app.api().get("/api/admin/queues/email-notification/failed", TestApp.ADMIN_TOKEN);
        return failed.list().stream().map(job -> (String) job.get("id")).toList();
    }
}
