package org.tribuo.usae.report;

import org.tribuo.usae.data.AtomicFiles;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads report pages in headless Chromium to check that their script ran cleanly ({@link #check}) and
 * to take screenshots ({@link #screenshot}). Every run gets a fresh temporary profile folder (removed
 * afterwards, so runs never share state or lock each other out), a time limit after which chromium and
 * all its helper processes are killed, and {@code --virtual-time-budget} so the page's script finishes
 * before the DOM is dumped or the picture taken.
 */
public final class HeadlessBrowser {
    /** Environment variable naming the chromium binary to use; checked before PATH. */
    public static final String BINARY_ENV = "USAE_CHROMIUM";
    /** Names looked up on PATH (and in /usr/bin), in this order. */
    public static final List<String> BINARY_NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    /** How to get a browser, for error messages. */
    public static final String INSTALL_HINT = "install one (Debian/Ubuntu: apt-get install chromium) or set "
            + BINARY_ENV + " to a chromium or chrome binary";
    /** Milliseconds of page time the script gets before the DOM is dumped or the screenshot taken. */
    private static final int VIRTUAL_TIME_MS = 5000;
    private static final Pattern READY = Pattern.compile("<body[^>]*\\sdata-report-ready=\"([^\"]*)\"");
    private static final Pattern ERROR_BOX = Pattern.compile("<div[^>]*id=\"report-errors\"[^>]*>(.*?)</div>", Pattern.DOTALL);
    private static final Pattern ERROR_ITEM = Pattern.compile("<li>(.*?)</li>", Pattern.DOTALL);
    private static final Pattern CHART = Pattern.compile("<svg class=\"chart\" data-chart=\"([^\"]*)\"");

    private final Path binary;
    private final Duration timeout;

    /**
     * @param binary  the chromium (or chrome) executable.
     * @param timeout how long one page load may take before the browser is killed.
     */
    public HeadlessBrowser(Path binary, Duration timeout) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalArgumentException("headless browser: " + binary + " is not an executable file; " + INSTALL_HINT);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("headless browser: timeout must be positive, got " + timeout);
        }
        this.binary = binary;
        this.timeout = timeout;
    }

    /**
     * @return the binary named by {@value #BINARY_ENV}, else the first of {@link #BINARY_NAMES} on PATH
     * or in /usr/bin, else empty.
     * @throws IllegalStateException when {@value #BINARY_ENV} is set but names no executable file.
     */
    public static Optional<Path> find() {
        String env = System.getenv(BINARY_ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env.strip());
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(BINARY_ENV + "=" + env + " is not an executable file; " + INSTALL_HINT);
            }
            return Optional.of(p);
        }
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String name : BINARY_NAMES) {
            for (String d : dirs) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                    return Optional.of(Path.of(d, name));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param timeout time limit per page load.
     * @return a browser over the binary {@link #find()} finds.
     * @throws IllegalStateException saying how to install chromium when none is found.
     */
    public static HeadlessBrowser locate(Duration timeout) {
        Path p = find().orElseThrow(() -> new IllegalStateException("no headless browser found ("
                + String.join(", ", BINARY_NAMES) + " on PATH, or " + BINARY_ENV + "); " + INSTALL_HINT));
        return new HeadlessBrowser(p, timeout);
    }

    /** @return the executable. */
    public Path binary() {
        return binary;
    }

    /**
     * Loads the page, lets its script run, and reads the resulting DOM.
     *
     * @param html a report page.
     * @return its ready state, recorded script errors and charts per kind.
     * @throws IllegalStateException when chromium fails or runs past the time limit.
     */
    public PageCheck check(Path html) {
        return parse(dumpDom(html));
    }

    /**
     * @param html a page.
     * @return the DOM after the page's script ran, as chromium serialises it.
     */
    public String dumpDom(Path html) {
        return run(List.of("--virtual-time-budget=" + VIRTUAL_TIME_MS, "--dump-dom", pageUrl(html)));
    }

    /**
     * Takes a screenshot of the top {@code width x height} CSS pixels of the page.
     *
     * @param html   a page.
     * @param png    where to write the PNG; written to a temporary file next to it, then renamed, so a
     *               failed run leaves no partial file.
     * @param width  viewport width.
     * @param height viewport height (the picture is cut there).
     */
    public void screenshot(Path html, Path png, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("screenshot size must be positive, got " + width + "x" + height);
        }
        Path target = png.toAbsolutePath().normalize();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp.png");
            run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height,
                    "--virtual-time-budget=" + VIRTUAL_TIME_MS, "--screenshot=" + tmp, pageUrl(html)));
            if (Files.size(tmp) == 0) {
                throw new IllegalStateException("chromium wrote no screenshot of " + html);
            }
            AtomicFiles.write(target, Files.readAllBytes(tmp));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write screenshot " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless; the real error (if any) is already on its way
                }
            }
        }
    }

    /**
     * @param dom a dumped DOM.
     * @return what it says about the report's state.
     */
    public static PageCheck parse(String dom) {
        Matcher ready = READY.matcher(dom);
        String state = ready.find() ? Xml.unescape(ready.group(1)) : "";
        List<String> errors = new ArrayList<>();
        Matcher box = ERROR_BOX.matcher(dom);
        if (box.find()) {
            Matcher li = ERROR_ITEM.matcher(box.group(1));
            while (li.find()) {
                errors.add(Xml.unescape(li.group(1).replaceAll("<[^>]*>", "")).strip());
            }
        }
        Map<String, Integer> charts = new LinkedHashMap<>();
        Matcher c = CHART.matcher(dom);
        while (c.find()) {
            charts.merge(c.group(1), 1, Integer::sum);
        }
        return new PageCheck(state, errors, charts);
    }

    private static String pageUrl(Path html) {
        if (!Files.isRegularFile(html)) {
            throw new IllegalArgumentException("headless browser: no such page " + html);
        }
        return html.toAbsolutePath().normalize().toUri().toString();
    }

    /** Runs chromium once with a fresh profile; returns its standard output. */
    private String run(List<String> args) {
        Path work = null;
        try {
            work = Files.createTempDirectory("usae-chromium");
            Path out = work.resolve("stdout.txt");
            Path err = work.resolve("stderr.txt");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                    "--user-data-dir=" + work.resolve("profile")));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    throw new IllegalStateException("chromium did not finish within " + timeout.toSeconds() + " s ("
                            + String.join(" ", args) + "); stderr: " + tail(err));
                }
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for chromium", e);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + " (" + String.join(" ", args)
                        + "); stderr: " + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary + ": " + e.getMessage(), e);
        } finally {
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    /** Kills chromium's helper processes (renderer, GPU, zygote) first, then chromium itself. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path f) throws IOException {
        String s = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).strip() : "";
        return s.isEmpty() ? "(empty)" : s.length() <= 2000 ? s : "..." + s.substring(s.length() - 2000);
    }

    private static void deleteTree(Path dir) {
        // chromium's helpers may still be writing into the profile for a moment after it exits
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (IOException | UncheckedIOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
