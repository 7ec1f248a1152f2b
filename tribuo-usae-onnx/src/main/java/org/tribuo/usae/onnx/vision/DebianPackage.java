package org.tribuo.usae.onnx.vision;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One pinned Debian binary package: what {@code apt-get download name=version} fetches and the
 * SHA-256 its {@code .deb} must have.
 *
 * @param name         package name, e.g. {@code tuxpaint-stamps-default}.
 * @param version      exact version, e.g. {@code 2022.06.04-1} (no epoch).
 * @param architecture {@code all}, {@code amd64}, ...
 * @param sha256       the {@code .deb}'s SHA-256, 64 lower-case hex digits.
 */
public record DebianPackage(String name, String version, String architecture, String sha256) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+~-]+");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    /** Checks the fields (they end up in file names and command lines). */
    public DebianPackage {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Debian package name '" + name + "' is not a valid package name");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("Debian package " + name + ": version '" + version + "' is not a plain version (no epoch)");
        }
        if (architecture == null || !NAME.matcher(architecture).matches()) {
            throw new IllegalArgumentException("Debian package " + name + ": architecture '" + architecture + "' is not valid");
        }
        if (sha256 == null || !HEX.matcher(sha256.toLowerCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException("Debian package " + name + ": sha256 '" + sha256 + "' is not 64 hex digits");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    /** @return the file {@code apt-get download} writes: {@code name_version_arch.deb}. */
    public String debFile() {
        return name + "_" + version + "_" + architecture + ".deb";
    }

    /** @return {@code name=version}, the argument of {@code apt-get download}. */
    public String pin() {
        return name + "=" + version;
    }

    /** @return the cache subfolder the package is extracted into: {@code name_version}. */
    public String folderName() {
        return name + "_" + version;
    }
}
