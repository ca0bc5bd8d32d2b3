package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.SeedStory;
import org.parley.topology.Topics;

/**
 * The newsroom dashboard in a real browser (Debian's chromium, headless, driven by Selenium):
 * a breach published through the API shows up as an alert and turns the commitment's badge,
 * without the page being reloaded.
 */
@ExtendWith(DashboardBrowserIT.RequiresChromium.class)
class DashboardBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Skips, saying why, where Debian's chromium and chromium-driver are not installed (.ci/run installs them). */
  static final class RequiresChromium implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
        return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
      }
      String reason = "skipped: no /usr/bin/chromium or /usr/bin/chromedriver; install Debian's chromium and"
          + " chromium-driver packages (.ci/run does) to run the browser test";
      System.out.println(context.getDisplayName() + " " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }

  @TempDir
  Path dir;

  private TestCluster cluster;
  private ParleyInstance parley;
  private WebDriver browser;
  private String base;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.single();
    try (TopicAdmin admin = new TopicAdmin(cluster.bootstrapServers(), Map.of())) {
      admin.create(Topics.standard(), 6, (short) 1);
    }
    int port = GatewayIT.freePort();
    parley = ParleyInstance.start(new ParleyInstance.Settings(cluster.bootstrapServers(), Map.of(),
        dir.resolve("streams"), "parley", null, DeadlineClock.DEFAULT_HORIZONS, "it",
        new Gateway.Settings("localhost", port, "localhost", GatewayIT.TOKEN)));
    base = "http://localhost:" + port;
    try (EventPublisher publisher = new EventPublisher(cluster.bootstrapServers(), Map.of(), Topics.standard().events(),
        "it")) {
      publisher.publish(SeedStory.events());
    }
    Http http = new Http(base);
    await().atMost(Duration.ofMinutes(1)).until(() -> http.get("/health").status() == 200
        && http.get("/api/alerts").json().size() == 10);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--user-data-dir=" + dir.resolve("chrome"), "--window-size=1400,900");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    parley.close();
    cluster.close();
  }

  private WebElement waitFor(String css) {
    return new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private String badge(String commitmentId) {
    return browser.findElement(By.cssSelector("#commitment-" + commitmentId + " .badge")).getText();
  }

  @Test
  void aBreachPublishedThroughTheApiAppearsAsAnAlertAndTurnsTheBadgeWithoutAReload() throws Exception {
    browser.get(base + "/");
    waitFor("#talks li[data-talk-id='" + SeedStory.TALK_ID + "']").click();
    waitFor("#commitment-russia-earlier-promises .badge");
    assertThat(badge("russia-earlier-promises")).isEqualTo("PLEDGED");
    waitFor("#alerts li[data-type='DEADLINE_SET']");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "live".equals(
        d.findElement(By.id("connection")).getAttribute("data-state")));
    Object loadedAt = ((JavascriptExecutor) browser).executeScript("return window.parleyLoadedAt;");

    Http.Response published = new Http(base).post("/api/events",
        GatewayIT.breach("browser-1", "russia-earlier-promises"), GatewayIT.TOKEN);
    assertThat(published.status()).isEqualTo(202);

    WebElement alert = waitFor("#alerts li[data-type='COMMITMENT_STATUS_CHANGED']");
    assertThat(alert.getText()).contains("PLEDGED -> BREACHED").contains("Do everything it originally promised");
    assertThat(alert.getAttribute("data-severity")).isEqualTo("CRITICAL");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> badge("russia-earlier-promises").equals("BREACHED"));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.parleyLoadedAt;"))
        .as("the page was not reloaded").isEqualTo(loadedAt);
  }

  @Test
  void onAPhoneThePanelsStackAndTheAlertsComeFirst() {
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(base + "/");
    waitFor("#commitment-russia-halt-airstrikes .badge");

    WebElement alerts = browser.findElement(By.id("alerts-panel"));
    WebElement talk = browser.findElement(By.id("talk-panel"));
    assertThat(alerts.getLocation().getY()).isLessThan(talk.getLocation().getY());
    assertThat(talk.getSize().getWidth()).isLessThanOrEqualTo(390);
    Number scrollWidth = (Number) ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth;");
    assertThat(scrollWidth.intValue()).as("no sideways scrolling").isLessThanOrEqualTo(390);
  }
}
