package dev.tablevault.tools;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code tv --version}: the project version the build wrote into {@code version.properties}. */
final class TvVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"tv " + version()};
    }

    /** The version this {@code tv} was built as, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        try (InputStream in = TvVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the tv build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
