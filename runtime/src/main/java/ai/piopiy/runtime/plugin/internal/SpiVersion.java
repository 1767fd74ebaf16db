package ai.piopiy.runtime.plugin.internal;

import ai.piopiy.spi.provider.ProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Properties;
import java.util.jar.Manifest;

/** The version of the SPI this runtime runs with, which a plugin's {@code plugin.requires} is checked against. */
public final class SpiVersion {

    private static final String ATTRIBUTE = "Piopiy-Spi-Version";

    private SpiVersion() {}

    /**
     * The {@value #ATTRIBUTE} of the SPI jar's manifest; when the SPI comes from a classes directory
     * (an IDE, a reactor build before packaging) there is no such manifest, and the SPI version this
     * runtime was built against is used instead.
     */
    public static String current() {
        String fromJar = fromSpiJar();
        return fromJar != null ? fromJar : builtAgainst();
    }

    private static String fromSpiJar() {
        URL marker = ProviderFactory.class.getResource(ProviderFactory.class.getSimpleName() + ".class");
        if (marker == null || !"jar".equals(marker.getProtocol())) {
            return null;
        }
        String spec = marker.toString();
        String manifest = spec.substring(0, spec.indexOf("!/") + 2) + "META-INF/MANIFEST.MF";
        try (InputStream in = java.net.URI.create(manifest).toURL().openStream()) {
            return new Manifest(in).getMainAttributes().getValue(ATTRIBUTE);
        } catch (IOException e) {
            return null;
        }
    }

    private static String builtAgainst() {
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi-version.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("piopiy.spi.version");
        } catch (IOException e) {
            throw new UncheckedIOException("runtime resource spi-version.properties is unreadable", e);
        }
    }
}
