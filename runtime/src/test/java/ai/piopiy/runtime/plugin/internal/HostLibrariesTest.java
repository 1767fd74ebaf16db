package ai.piopiy.runtime.plugin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLibrariesTest {

    @Test
    void aJarsPackagesReadFromItsCentralDirectoryAreTheOnesTheJdkLists() throws Exception {
        for (Class<?> fromJar : new Class<?>[] {com.fasterxml.jackson.databind.ObjectMapper.class, okhttp3.OkHttpClient.class,
                kotlin.Unit.class}) {
            Path jar = Path.of(fromJar.getProtectionDomain().getCodeSource().getLocation().toURI());
            Set<String> listed;
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                listed = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
                        .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/"))
                        .filter(name -> name.lastIndexOf('/') > 0)
                        .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
                        .collect(Collectors.toSet());
            }
            Set<String> packages = HostLibraries.SharedJar.of(jar, HostLibraries.centralDirectory(jar)).packages();
            assertThat(packages).as(jar.getFileName().toString()).containsAll(listed).contains(fromJar.getPackageName());
        }
    }

    @Test
    void aJarsResourcesAreItsFilesOtherThanClasses() throws Exception {
        Path jar = Path.of(okhttp3.OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> listed;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            listed = Collections.list(zip.entries()).stream()
                    .filter(entry -> !entry.isDirectory() && !entry.getName().endsWith(".class"))
                    .map(ZipEntry::getName)
                    .collect(Collectors.toSet());
        }
        HostLibraries.SharedJar shared = HostLibraries.SharedJar.of(jar, HostLibraries.centralDirectory(jar));

        assertThat(shared.resources()).isEqualTo(listed).contains("META-INF/MANIFEST.MF");
        assertThat(shared.mayHold("META-INF/MANIFEST.MF")).isTrue();
        assertThat(shared.mayHold("okhttp3/OkHttpClient.class")).isTrue();
        // what a plugin looks for among its own files is not looked for on the host's class path
        assertThat(shared.mayHold("META-INF/services/ai.piopiy.spi.provider.ProviderFactory")).isFalse();
        assertThat(shared.mayHold("ai/piopiy/plugin/Some.class")).isFalse();
    }

    @Test
    void anEntryIsFoundByNameInTheCentralDirectory(@TempDir Path dir) throws Exception {
        Path jar = Path.of(okhttp3.OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(HostLibraries.hasEntry(jar, "okhttp3/OkHttpClient.class")).isTrue();
        assertThat(HostLibraries.hasEntry(jar, "ai/piopiy/spi/provider/ProviderFactory.class")).isFalse();
        // same length as an entry that exists, one letter off
        assertThat(HostLibraries.hasEntry(jar, "okhttp3/OkHttpClienT.class")).isFalse();

        Path truncated = Files.write(dir.resolve("truncated.jar"), Arrays.copyOf(Files.readAllBytes(jar), 1000));
        assertThatThrownBy(() -> HostLibraries.hasEntry(truncated, "okhttp3/OkHttpClient.class")).isInstanceOf(IOException.class);
    }

    @Test
    void aZipWithoutAPlainCentralDirectoryIsComparedWhole(@TempDir Path dir) throws Exception {
        Path notAZip = Files.writeString(dir.resolve("x.jar"), "not a zip at all");
        assertThat(HostLibraries.centralDirectory(notAZip)).isEqualTo(Files.readAllBytes(notAZip));
    }
}
