package ai.piopiy.runtime.plugin.internal;

import ai.piopiy.spi.provider.ProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the SPI this runtime runs with, which a plugin's {@code plugin.requires} is checked against. */
public final class SpiVersion {

    private SpiVersion() {}

    /**
     * The {@code Specification-Version} of the SPI jar's manifest; when the SPI comes from a classes
     * directory (an IDE, a reactor build before packaging) there is no such manifest, and the SPI version
     * this runtime was built against is used instead.
     */
    public static String current() {
        String fromJar = fromSpiJar();
        return fromJar != null ? fromJar : builtAgainst();
    }

    private static String fromSpiJar() {
        // the class loader read the jar's manifest when it defined the package (or the AOT cache kept it):
        // nothing to open again, which through a jar: URL costs some milliseconds of start-up
        Package spi = ProviderFactory.class.getPackage();
        return spi == null ? null : spi.getSpecificationVersion();
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
