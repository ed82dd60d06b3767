package net.rampart.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium, driven through Debian's chromedriver, both named
 * by path so that Selenium never looks for (or downloads) a browser or driver of its own. Each
 * browser has a fresh profile in its own directory: no cookie or cache from another run.
 */
final class DashboardBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** What the shell shows for a page whose module is not registered yet (app.js, route()). */
    static final String NOT_BUILT = "This page is not built yet.";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Set to regenerate docs/images/dashboard-*.png (docs/dashboard.md, "Screenshots"). */
    private static final boolean SCREENSHOTS = Boolean.getBoolean("dashboard.screenshots");
    /** The tests run in the module's directory; the images are the documentation's. */
    private static final Path IMAGES = Path.of("..", "docs", "images");

    private final ChromeDriver driver;
    private final String base;

    private DashboardBrowser(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** A new browser on the dashboard at {@code http://127.0.0.1:PORT/}, its profile under {@code profiles}. */
    static DashboardBrowser open(int httpPort, Path profiles) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(profiles, "chromium-"), "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        String base = "http://127.0.0.1:" + httpPort + "/";
        driver.get(base);
        return new DashboardBrowser(driver, base);
    }

    /** Pastes {@code token} into the sign-in form and sends it. */
    void signIn(String token) {
        WebElement input = await(By.id("token"));
        input.clear();
        input.sendKeys(token);
        driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    void signOut() {
        driver.findElement(By.id("sign-out")).click();
    }

    /** The sign-in form's message once it shows one. */
    String signInError() {
        until(d -> visible(By.id("sign-in-error")));
        return text(By.id("sign-in-error"));
    }

    boolean signInShown() {
        return visible(By.id("sign-in"));
    }

    /** Who the header says is signed in ("NAME · SCOPE"), once it says so. */
    String signedInAs() {
        until(d -> visible(By.id("who-scope")) && !text(By.id("who-scope")).isEmpty());
        return text(By.id("who-scope"));
    }

    /**
     * Goes to {@code #/ROUTE} ({@code PAGE} or {@code PAGE?QUERY}) and waits until every one of
     * {@code selectors} shows something inside {@code #page}: the page drew real content. A page
     * the shell calls not built, or one that never shows it, fails.
     */
    void showPage(String route, List<String> selectors) {
        driver.get(base + "#/" + route);
        awaitContent("#/" + route, selectors);
    }

    /** Waits, where the browser is now, until every one of {@code selectors} shows something inside {@code #page}. */
    void awaitContent(String where, List<String> selectors) {
        String shown = untilPresent(d -> {
            if (!driver.findElements(By.xpath("//div[@id='page']//p[contains(., '" + NOT_BUILT + "')]")).isEmpty()) {
                return Optional.of("not built");
            }
            return selectors.stream().allMatch(selector -> driver.findElements(By.cssSelector("#page " + selector))
                    .stream().anyMatch(e -> !e.getText().isBlank())) ? Optional.of("content") : Optional.empty();
        });
        if (!shown.equals("content")) {
            throw new AssertionError(where + ": the shell says the page is not built (no module in app.js's PAGES)");
        }
    }

    void showPage(String route, String selector) {
        showPage(route, List.of(selector));
    }

    /** Clicks the displayed element {@code css} (inside {@code #page}) once it is shown. */
    void click(String css) {
        await(By.cssSelector("#page " + css)).click();
    }

    /** Types {@code text} into the displayed field {@code css} (inside {@code #page}), emptied first. */
    void fill(String css, String text) {
        WebElement field = await(By.cssSelector("#page " + css));
        field.clear();
        field.sendKeys(text);
    }

    /** The text of the displayed element {@code css} (inside {@code #page}) once it shows some. */
    String textOf(String css) {
        return untilPresent(d -> d.findElements(By.cssSelector("#page " + css)).stream()
                .filter(WebElement::isDisplayed).map(WebElement::getText).filter(t -> !t.isBlank()).findFirst());
    }

    /**
     * Opens {@code #/PAGE} as a new document (from a blank one, so nothing is reused) and returns
     * the milliseconds from the navigation's start to {@code selector} showing content inside
     * {@code #page}, measured by the browser ({@code performance.now()} counts from it).
     */
    double millisUntilShown(String page, String selector) {
        driver.get("about:blank");
        driver.get(base + "#/" + page);
        Object millis = asyncScript("""
                const [selector, limit, done] = arguments;
                const shown = () => [...document.querySelectorAll('#page ' + selector)].some((e) => e.textContent.trim());
                const poll = () => {
                  if (shown()) done(performance.now());
                  else if (performance.now() > limit) done(-1);
                  else requestAnimationFrame(poll);
                };
                poll();
                """, selector, WAIT.toMillis() - 1000);
        double value = ((Number) millis).doubleValue();
        if (value < 0) {
            throw new AssertionError("#/" + page + " did not show " + selector + " within " + WAIT);
        }
        return value;
    }

    /** Polls {@code condition} until it is true or not null; fails after {@link #WAIT}, showing the page's text. */
    <T> T until(Function<ChromeDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
                    // The live feed redraws the Overview's figures every few seconds.
                    .ignoring(StaleElementReferenceException.class).until(d -> condition.apply(driver));
        } catch (TimeoutException e) {
            throw new AssertionError("the dashboard did not get there within " + WAIT + "; it shows:\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Polls {@code condition} until it gives a value, and returns it. */
    <T> T untilPresent(Function<ChromeDriver, Optional<T>> condition) {
        return until(d -> condition.apply(d).orElse(null));
    }

    WebElement await(By locator) {
        return untilPresent(d -> d.findElements(locator).stream().filter(WebElement::isDisplayed).findFirst());
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(By locator) {
        return driver.findElement(locator).getText();
    }

    boolean visible(By locator) {
        return driver.findElements(locator).stream().anyMatch(WebElement::isDisplayed);
    }

    /** What a script of the page gets for {@code document.cookie}. */
    String documentCookie() {
        return (String) script("return document.cookie;");
    }

    Optional<Cookie> cookie(String name) {
        return Optional.ofNullable(driver.manage().getCookieNamed(name));
    }

    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /** Runs an asynchronous script: it gets a callback as its last argument and calls it with the result. */
    Object asyncScript(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(javascript, args);
    }

    /** Sets the viewport's size, as a phone's or a desktop's. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Saves what the browser shows as {@code docs/images/dashboard-NAME.png}, when the run asked
     * for screenshots; normal runs leave the documentation's images alone.
     */
    void screenshot(String name) throws IOException {
        if (!SCREENSHOTS) {
            return;
        }
        Files.createDirectories(IMAGES);
        Files.write(IMAGES.resolve("dashboard-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
