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
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.SeedStory;

/**
 * The newsroom dashboard in a real browser (Debian's chromium, headless, driven by Selenium): a
 * breach published through the API shows up as an alert and turns the commitment's badge, without
 * the page being reloaded; a search narrows the list and the alerts; a phone gets a list, then a
 * talk in its own view with a way back; the timeline draws breaches and a deadline's move.
 */
@ExtendWith(DashboardBrowserIT.RequiresChromium.class)
class DashboardBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Skips, saying why, where Debian's chromium and chromium-driver are not installed (.ci/run
   * installs them).
   */
  static final class RequiresChromium implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
        return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
      }
      String reason =
          "skipped: no /usr/bin/chromium or /usr/bin/chromedriver; install Debian's chromium and"
              + " chromium-driver packages (.ci/run does) to run the browser test";
      System.out.println(context.getDisplayName() + " " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }

  @TempDir Path dir;

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
    parley =
        ParleyInstance.start(
            new ParleyInstance.Settings(
                cluster.bootstrapServers(),
                Map.of(),
                dir.resolve("streams"),
                "parley",
                null,
                DeadlineClock.DEFAULT_HORIZONS,
                "it",
                new Gateway.Settings("localhost", port, "localhost", GatewayIT.TOKEN)));
    base = "http://localhost:" + port;
    try (EventPublisher publisher =
        new EventPublisher(
            cluster.bootstrapServers(), Map.of(), Topics.standard().events(), "it")) {
      publisher.publish(SeedStory.events());
    }
    Http http = new Http(base);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                http.get("/health").status() == 200 && http.get("/api/alerts").json().size() == 10);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--user-data-dir=" + dir.resolve("chrome"),
        "--window-size=1400,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
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

  /**
   * A wait of up to 30 s that asks again when the element it read was replaced meanwhile: the
   * dashboard redraws its lists as alerts arrive, so an element found a moment ago can be gone by
   * the time its text is read (seen on a loaded machine).
   */
  private WebDriverWait patiently() {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  private WebElement waitFor(String css) {
    return patiently().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /** The text of an element, read inside a wait so that a redraw in between is read again. */
  private String textOf(String css) {
    return patiently().until(d -> d.findElement(By.cssSelector(css)).getText());
  }

  private String attributeOf(String css, String attribute) {
    return patiently().until(d -> d.findElement(By.cssSelector(css)).getAttribute(attribute));
  }

  private void click(String css) {
    patiently()
        .until(
            d -> {
              d.findElement(By.cssSelector(css)).click();
              return true;
            });
  }

  private static String badgeSelector(String commitmentId) {
    return "#commitment-" + commitmentId + " .badge";
  }

  private String badge(String commitmentId) {
    return textOf(badgeSelector(commitmentId));
  }

  /** Within a wait: whether the badge reads {@code status} now (a redraw is read again). */
  private static boolean badgeReads(WebDriver d, String commitmentId, String status) {
    return d.findElement(By.cssSelector(badgeSelector(commitmentId))).getText().equals(status);
  }

  @Test
  void aBreachPublishedThroughTheApiAppearsAsAnAlertAndTurnsTheBadgeWithoutAReload()
      throws Exception {
    browser.get(base + "/");
    waitFor("#talks li[data-talk-id='" + SeedStory.TALK_ID + "']");
    click("#talks li[data-talk-id='" + SeedStory.TALK_ID + "']");
    waitFor("#commitment-russia-earlier-promises .badge");
    assertThat(badge("russia-earlier-promises")).isEqualTo("PLEDGED");
    waitFor("#alerts li[data-type='DEADLINE_SET']");
    patiently()
        .until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    Object loadedAt = ((JavascriptExecutor) browser).executeScript("return window.parleyLoadedAt;");

    Http.Response published =
        new Http(base)
            .post(
                "/api/events",
                GatewayIT.breach("browser-1", "russia-earlier-promises"),
                GatewayIT.TOKEN);
    assertThat(published.status()).isEqualTo(202);

    String breached = "#alerts li[data-type='COMMITMENT_STATUS_CHANGED']";
    waitFor(breached);
    assertThat(textOf(breached))
        .contains("PLEDGED -> BREACHED")
        .contains("Do everything it originally promised");
    assertThat(attributeOf(breached, "data-severity")).isEqualTo("CRITICAL");
    patiently().until(d -> badgeReads(d, "russia-earlier-promises", "BREACHED"));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.parleyLoadedAt;"))
        .as("the page was not reloaded")
        .isEqualTo(loadedAt);
  }

  static String announce(String eventId, String talkId, String title, String parties) {
    return "{\"type\":\"TalkAnnounced\",\"eventId\":\""
        + eventId
        + "\",\"talkId\":\""
        + talkId
        + "\",\"occurredAt\":\"2016-09-10T09:00:00Z\",\"source\":{\"actor\":\"Wire\",\"outlet\":\"GDELT\"},"
        + "\"payload\":{\"title\":\""
        + title
        + "\",\"announcedBy\":\"Wire\",\"parties\":["
        + parties
        + "]}}";
  }

  static String moveDeadline(String eventId, String dueAt, String reason) {
    return "{\"type\":\"DeadlineMoved\",\"eventId\":\""
        + eventId
        + "\",\"talkId\":\""
        + SeedStory.TALK_ID
        + "\",\"occurredAt\":\"2016-09-09T12:00:00Z\",\"source\":{\"actor\":\"U.S. State Department\"},"
        + "\"payload\":{\"deadlineId\":\"obama-term-ends\",\"dueAt\":\""
        + dueAt
        + "\",\"reason\":\""
        + reason
        + "\"}}";
  }

  static String breach(String eventId, String commitmentId, String reason) {
    return GatewayIT.breach(eventId, commitmentId).replace("Aid convoy struck", reason);
  }

  private void publish(String... events) throws Exception {
    Http.Response published =
        new Http(base).post("/api/events", "[" + String.join(",", events) + "]", GatewayIT.TOKEN);
    assertThat(published.status()).as(published.body()).isEqualTo(202);
  }

  private java.util.List<String> listedTalks() {
    return browser.findElements(By.cssSelector("#talks li[data-talk-id]:not(.pinned)")).stream()
        .map(li -> li.getAttribute("data-talk-id"))
        .toList();
  }

  /**
   * Saves what the browser shows, for the README (target/screenshots; copied to docs/screenshots by
   * hand).
   */
  private void screenshot(String name) throws Exception {
    byte[] png =
        ((org.openqa.selenium.TakesScreenshot) browser)
            .getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    Path target = Path.of("target", "screenshots", name + ".png");
    Files.createDirectories(target.getParent());
    Files.write(target, png);
  }

  @Test
  void aSearchNarrowsTheTalkListAndTheAlertsFollowTheFilters() throws Exception {
    publish(
        announce("aleppo-1", "aleppo-truce", "Aleppo humanitarian truce", "\"Syria\",\"Turkey\""),
        announce(
            "gdelt-1", "gdelt:russia--ukraine", "RUSSIA and UKRAINE", "\"RUSSIA\",\"UKRAINE\""));
    browser.get(base + "/#talk=" + SeedStory.TALK_ID);
    patiently().until(d -> listedTalks().size() == 3);

    browser.findElement(By.id("q")).sendKeys("kerry lavrov");
    patiently().until(d -> listedTalks().equals(java.util.List.of(SeedStory.TALK_ID)));
    assertThat(browser.getCurrentUrl()).contains("q=kerry+lavrov");

    browser.findElement(By.id("q")).clear();
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("origin")))
        .selectByValue("feed");
    patiently()
        .until(
            d ->
                listedTalks().contains("gdelt:russia--ukraine")
                    && !listedTalks().contains("aleppo-truce"));
    // The seed talk is still open (the link named it): shown, pinned, though the filter leaves it
    // out.
    waitFor("#talks li.pinned");
    assertThat(attributeOf("#talks li.pinned", "data-talk-id")).isEqualTo(SeedStory.TALK_ID);
    patiently()
        .until(
            d ->
                d.findElements(By.cssSelector("#alerts li[data-talk-id]")).stream()
                    .allMatch(li -> li.getAttribute("data-talk-id").startsWith("gdelt:")));

    // Alerts by severity: only the critical ones, each linking to its talk.
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("origin")))
        .selectByValue("curated");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("severity")))
        .selectByValue("CRITICAL");
    waitFor("#alerts li.empty");
    publish(breach("browser-search-1", "russia-earlier-promises", "Aid convoy struck near Aleppo"));
    String critical = "#alerts li[data-severity='CRITICAL']";
    waitFor(critical);
    assertThat(browser.findElements(By.cssSelector("#alerts li[data-alert-id]"))).hasSize(1);
    assertThat(textOf(critical + " time.relative")).endsWith("ago");
    assertThat(attributeOf(critical + " time.relative", "title"))
        .isEqualTo("2016-09-19 18:00:00 UTC");
    screenshot("search");
    click(critical + " a.talk-link");
    patiently().until(d -> badgeReads(d, "russia-earlier-promises", "BREACHED"));

    // A bad filter value in a shared link is explained, not shown as an empty list.
    browser.get(base + "/#status=BOGUS");
    waitFor("#filter-error");
    assertThat(textOf("#filter-error")).contains("status").contains("ANNOUNCED");
  }

  @Test
  void onAPhoneTheListOpensATalkInItsOwnViewWithAWayBack() throws Exception {
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(base + "/");
    String item = "#talks li[data-talk-id='" + SeedStory.TALK_ID + "']";
    waitFor(item);
    assertThat(browser.findElement(By.id("talk-panel")).isDisplayed())
        .as("no talk under the list")
        .isFalse();
    screenshot("phone-list");

    click(item);
    waitFor("#commitment-russia-halt-airstrikes .badge");
    assertThat(browser.findElement(By.id("talks-panel")).isDisplayed())
        .as("the list gives way to the talk")
        .isFalse();
    WebElement title = browser.findElement(By.id("talk-title"));
    assertThat(title.getLocation().getY())
        .as("the talk starts at the top, not 18,000 px down")
        .isLessThan(844);
    Number scroll = (Number) ((JavascriptExecutor) browser).executeScript("return window.scrollY;");
    assertThat(scroll.intValue()).isZero();
    Number scrollWidth =
        (Number)
            ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth;");
    assertThat(scrollWidth.intValue()).as("no sideways scrolling").isLessThanOrEqualTo(390);
    waitFor("#timeline svg");
    screenshot("phone-talk");

    waitFor("#back");
    click("#back");
    waitFor(item);
    assertThat(browser.findElement(By.id("talk-panel")).isDisplayed()).isFalse();

    // The browser's own back button does the same.
    click(item);
    waitFor("#talk-title");
    browser.navigate().back();
    waitFor(item);
    assertThat(browser.findElement(By.id("talk-panel")).isDisplayed()).isFalse();
  }

  @Test
  void aCommitmentChangedMoreOftenThanItsTalkKeepsIsDrawnFromItsLatestChangesWithTheRestCounted()
      throws Exception {
    java.util.List<String> events = new java.util.ArrayList<>();
    events.add(announce("many-0", "many-changes", "Talks that keep changing", "\"A\",\"B\""));
    events.add(
        "{\"type\":\"CommitmentMade\",\"eventId\":\"many-1\",\"talkId\":\"many-changes\","
            + "\"occurredAt\":\"2016-09-10T10:00:00Z\",\"source\":{\"actor\":\"Wire\"},"
            + "\"payload\":{\"commitmentId\":\"truce\",\"party\":\"A\",\"action\":\"Hold fire\"}}");
    // 24 flips: with the pledge, 25 changes, of which the talk's state keeps the latest 20.
    for (int i = 0; i < 24; i++) {
      events.add(
          String.format(
              "{\"type\":\"CommitmentStatusChanged\",\"eventId\":\"many-flip-%d\","
                  + "\"talkId\":\"many-changes\",\"occurredAt\":\"2016-09-11T%02d:00:00Z\","
                  + "\"source\":{\"actor\":\"Wire\"},\"payload\":{\"commitmentId\":\"truce\","
                  + "\"status\":\"%s\"}}",
              i, i, i % 2 == 0 ? "BREACHED" : "PLEDGED"));
    }
    publish(events.toArray(String[]::new));
    browser.get(base + "/#talk=many-changes");

    String lane = "#timeline .lane[data-commitment-id='truce']";
    // Drawn from the state after the last flip: the five changes before the kept ones counted.
    patiently()
        .until(
            d ->
                d.findElement(By.cssSelector(lane + " .earlier"))
                    .getAttribute("data-tip")
                    .contains("5 earlier change(s), in the talk's events"));
    assertThat(browser.findElements(By.cssSelector(lane + " .segment")))
        .hasSize(TalkFold.KEPT_CHANGES);
    assertThat(attributeOf(lane, "data-status")).isEqualTo("PLEDGED");
  }

  @Test
  void theTimelineShowsTheBreachesAndTheDeadlinesMoveWithTheirReasons() throws Exception {
    publish(
        breach("browser-tl-1", "russia-earlier-promises", "Aid convoy struck near Aleppo"),
        breach("browser-tl-2", "russia-halt-airstrikes", "Airstrikes resumed on eastern Aleppo"),
        moveDeadline("browser-tl-3", "2016-09-10T17:00:00Z", "Talks brought forward"));
    browser.get(base + "/#talk=" + SeedStory.TALK_ID);
    String lane = "#timeline .lane[data-commitment-id='%s']";
    String deadline = "#timeline .deadline[data-deadline-id='obama-term-ends']";
    // All three events drawn, so that the timeline is not redrawn under the reads below.
    patiently()
        .until(
            d ->
                !d.findElements(
                            By.cssSelector(
                                String.format(lane, "russia-halt-airstrikes") + " .breach"))
                        .isEmpty()
                    && !d.findElements(
                            By.cssSelector(
                                String.format(lane, "russia-earlier-promises") + " .breach"))
                        .isEmpty()
                    && !d.findElements(By.cssSelector(deadline + " .deadline-move")).isEmpty());
    for (String breached : java.util.List.of("russia-earlier-promises", "russia-halt-airstrikes")) {
      java.util.List<WebElement> segments =
          browser.findElements(By.cssSelector(String.format(lane, breached) + " .segment"));
      assertThat(segments.get(segments.size() - 1).getAttribute("data-status"))
          .isEqualTo("BREACHED");
      assertThat(segments.get(0).getAttribute("data-status")).isNotEqualTo("BREACHED");
    }
    assertThat(
            browser.findElements(
                By.cssSelector(String.format(lane, "us-separate-moderates") + " .breach")))
        .isEmpty();
    assertThat(browser.findElements(By.cssSelector(deadline + " .deadline-move"))).hasSize(1);
    assertThat(browser.findElements(By.cssSelector(deadline + " .deadline-old"))).hasSize(1);

    // Events in story order on the axis.
    java.util.List<WebElement> events = browser.findElements(By.cssSelector("#timeline .event"));
    assertThat(events.size()).isGreaterThanOrEqualTo(10);
    double previous = -1;
    for (WebElement event : events) {
      double cx = Double.parseDouble(event.getAttribute("cx"));
      assertThat(cx).as("story order").isGreaterThanOrEqualTo(previous);
      previous = cx;
    }

    click(String.format(lane, "russia-earlier-promises") + " .hit");
    waitFor("#timeline .timeline-tip");
    assertThat(textOf("#timeline .timeline-tip"))
        .contains("PLEDGED -> BREACHED")
        .contains("Aid convoy struck near Aleppo")
        .contains("browser-tl-1");
    screenshot("timeline");
    click(deadline + " .deadline-old");
    patiently()
        .until(
            d ->
                d.findElement(By.cssSelector("#timeline .timeline-tip"))
                    .getText()
                    .contains("moved earlier"));
    assertThat(textOf("#timeline .timeline-tip"))
        .contains("moved earlier")
        .contains("Talks brought forward");
  }
}
