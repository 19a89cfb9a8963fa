package org.nnlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlab.mnist.DatasetFiles;
import org.nnlab.mnist.Mnist;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end in a real browser: the lab runs as its own process on a small MNIST subset, headless
 * Chromium (Debian's chromium + chromium-driver, which .ci/run installs) opens the printed URL, and the
 * test watches the charts fill, pauses, resets, draws a digit, and sees the page survive the end of
 * training. Needs MNIST (MNIST_DIR or the cache) and Chromium; without them it is SKIPPED, loudly.
 */
class LiveViewBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium", DRIVER = "/usr/bin/chromedriver";

    private static String mnistDir() {
        String env = System.getenv("MNIST_DIR");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return env;
        }
        Path cache = Mnist.FILES.defaultCacheDir();
        return Mnist.FILES.files().stream().allMatch(f -> DatasetFiles.find(cache, f).isPresent())
                ? cache.toString() : null;
    }

    @Test
    void theLivePageShowsTrainingAndItsControlsWork(@TempDir Path out) throws Exception {
        String data = mnistDir();
        boolean browser = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
        if (data == null || !browser) {
            System.err.println("*** LiveViewBrowserTest SKIPPED: " + (data == null ? "no MNIST (set MNIST_DIR)" : "")
                    + (browser ? "" : " no " + CHROMIUM + " / " + DRIVER + " (apt-get install chromium "
                    + "chromium-driver; .ci/run does)") + " ***");
        }
        assumeTrue(data != null && browser, "MNIST and Chromium needed");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process lab = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MnistLab.class.getName(),
                "--data", data, "--train-limit", "2000", "--test-limit", "1000", "--steps", "2400", "--out",
                out.toString(), "--port", "0").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(lab.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        ChromeDriver driver = null;
        try {
            String url = null;
            while (url == null) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                assertTrue(line != null, "the lab printed no URL within 60 s");
                if (line.startsWith("live view: ")) {
                    url = line.substring("live view: ".length());
                }
            }
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/"), url);

            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2200");
            driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                    .build(), options);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            driver.get(url);
            JavascriptExecutor js = driver;

            // the loss chart gets points, accuracy appears, 20 samples with green or red borders
            wait.until(d -> ((Number) js.executeScript("return state.losses[0].length")).intValue() > 50);
            assertTrue(driver.findElements(By.cssSelector("#loss-chart canvas")).size() > 0, "uPlot drew the loss");
            ChromeDriver d0 = driver;
            wait.until(d -> d0.findElement(By.id("accuracy")).getText().endsWith("%"));
            List<WebElement> samples = driver.findElements(By.cssSelector("#samples .sample"));
            assertEquals(20, samples.size());
            wait.until(d -> d0.findElements(By.cssSelector("#samples .sample.right, #samples .sample.wrong")).size() == 20);
            String border = samples.get(0).findElement(By.tagName("canvas")).getCssValue("border-top-color");
            assertTrue(border.equals("rgba(34, 170, 34, 1)") || border.equals("rgba(221, 34, 34, 1)"), border);

            // Pause stops the step counter; Resume starts it again
            driver.findElement(By.id("pause")).click();
            wait.until(d -> d0.findElement(By.id("state")).getText().equals("paused"));
            Thread.sleep(1200); // the steps done before the pause took hold arrive with the next update (500 ms)
            long paused = step(driver);
            Thread.sleep(1500);
            assertEquals(paused, step(driver), "the step counter stands still while paused");
            driver.findElement(By.id("pause")).click();
            wait.until(d -> step(d0) > paused);
            wait.until(d -> step(d0) > 600);

            // Reset starts again from step 0 with a fresh net
            long before = step(driver);
            driver.findElement(By.id("reset")).click();
            wait.until(d -> step(d0) < before);

            // a drawn digit gets probabilities that sum to 1
            WebElement canvas = driver.findElement(By.id("draw"));
            new Actions(driver).moveToElement(canvas, 0, -90).clickAndHold().moveByOffset(0, 60).moveByOffset(0, 60)
                    .moveByOffset(0, 60).release().perform();
            wait.until(d -> d0.findElements(By.cssSelector("#probabilities .bar")).size() == 10);
            double sum = Double.parseDouble(driver.findElement(By.id("probabilities")).getAttribute("data-sum"));
            assertEquals(1.0, sum, 1e-4);

            // the screenshot for the README, mid-training, once the accuracy chart has a few points
            wait.until(d -> step(d0) > 1300);
            js.executeScript("loadActivations()");
            Thread.sleep(500);
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", "live-view.png"), StandardCopyOption.REPLACE_EXISTING);

            // training ends; the page keeps the final numbers and drawing still works
            wait.withTimeout(Duration.ofSeconds(180)).until(d -> d0.findElement(By.id("state")).getText().equals("finished"));
            assertTrue(driver.findElement(By.id("final")).getText().startsWith("Training finished:"));
            driver.findElement(By.id("clear")).click();
            new Actions(driver).moveToElement(canvas, -60, -60).clickAndHold().moveByOffset(120, 0)
                    .moveByOffset(-120, 120).moveByOffset(120, 0).release().perform();
            wait.until(d -> d0.findElements(By.cssSelector("#probabilities .bar")).size() == 10);
            assertTrue(lab.isAlive(), "the lab keeps serving after training");
        } finally {
            if (driver != null) {
                driver.quit();
            }
            lab.getOutputStream().close(); // "press Enter": the lab quits
            if (!lab.waitFor(30, TimeUnit.SECONDS)) {
                lab.destroyForcibly();
            }
        }
        assertEquals(0, lab.exitValue(), String.join("\n", lines));
    }

    private static long step(org.openqa.selenium.WebDriver d) {
        return Long.parseLong(d.findElement(By.id("step")).getText());
    }
}
