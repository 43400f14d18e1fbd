package org.odahu.pack.server.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.odahu.pack.artifact.testing.Examples;
import org.odahu.pack.server.ModelServer;
import org.odahu.pack.server.ServerConfig;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code GET /docs} in a real headless browser (Debian's Chromium, driven by its chromedriver given
 * by path: nothing downloads a driver): the page lists the model's operations, and "Try it out" on
 * ODAHU's invoke performs a real prediction with the wine model. Leaves a screenshot in {@code
 * target/docs-page.png}.
 */
class DocsPageIT {
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path profile;
  static ModelServer server;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    server =
        ModelServer.start(
            ServerConfig.builder(Examples.artifact("wine"))
                .host("127.0.0.1")
                .port(0)
                .python(Examples.python())
                .accessLog(false)
                .build(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new PrintStream(OutputStream.nullOutputStream()));
    server.backend().start().toCompletableFuture().get(120, TimeUnit.SECONDS);
    // Selenium Manager stays idle: the driver and the browser are both given by path.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,2400",
        "--user-data-dir=" + profile.toAbsolutePath());
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (server != null) {
        server.shutdown();
      }
    }
  }

  @Test
  void theDocsPageListsTheModelsOperationsAndTryItOutPredicts() throws Exception {
    browser.get("http://127.0.0.1:" + server.port() + "/docs");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    WebElement invoke =
        wait.until(ExpectedConditions.presenceOfElementLocated(operation("odahuInvoke")));
    for (String id : List.of("v2Infer", "v2ModelMetadata", "mlflowInvocations", "openapiJson")) {
      assertTrue(!browser.findElements(operation(id)).isEmpty(), "the page lists " + id);
    }
    assertTrue(
        browser.findElement(By.cssSelector(".info .title")).getText().startsWith("wine"),
        "the page is titled with the model's name");

    invoke.findElement(By.cssSelector(".opblock-summary")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".try-out__btn"))).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".execute"))).click();
    WebElement answer =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".live-responses-table .response-col_description pre")));
    wait.until(driver -> answer.getText().contains("prediction"));
    JsonNode body = JSON.readTree(answer.getText());
    assertEquals("quality", body.get("columns").get(0).asText());
    assertTrue(body.get("prediction").get(0).isNumber(), body.toString());
    String status =
        browser
            .findElement(By.cssSelector(".live-responses-table .response .response-col_status"))
            .getText();
    assertEquals("200", status.strip());

    Path screenshot = Path.of("target", "docs-page.png");
    Files.createDirectories(screenshot.getParent());
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page");
  }

  /** An operation's block: Swagger UI's id is {@code operations-<tag>-<operationId>}. */
  private static By operation(String operationId) {
    return By.cssSelector("[id$='-" + operationId + "']");
  }
}
