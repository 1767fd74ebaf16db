package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The built distribution as a user gets it: unpacked into a folder of the test, with first-party
 * plugin zips (the module's test-scoped plugin dependencies, which the build copies into
 * {@code piopiy.plugins}) dropped into its plugins/, and {@code bin/piopiy} run as a process.
 */
final class TestDistribution {

    /** What a command printed and how it exited. */
    record Result(int code, String out, String err) {}

    private TestDistribution() {}

    /** Unpacks the built tar.gz into {@code work}/dist and returns its home folder. */
    static Path unpack(Path work) throws Exception {
        Path tarball = Path.of(System.getProperty("piopiy.distribution"));
        assertThat(tarball).isRegularFile();
        Path unpacked = Files.createDirectories(work.resolve("dist"));
        Result tar = exec(List.of("tar", "xzf", tarball.toString(), "-C", unpacked.toString()), Map.of(), work);
        assertThat(tar.code()).as(tar.err()).isZero();
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.findFirst().orElseThrow();
        }
    }

    /** The zip of plugin module {@code plugins/<module>}. */
    static Path pluginZip(String module) {
        Path zip = pluginsDir().resolve("piopiy-plugin-" + module + "-" + System.getProperty("piopiy.version") + "-plugin.zip");
        assertThat(zip).as("plugin %s: declare it as a test dependency of distribution/pom.xml", module).isRegularFile();
        return zip;
    }

    /** Every plugin zip the module depends on. */
    static List<Path> allPluginZips() throws IOException {
        try (Stream<Path> zips = Files.list(pluginsDir())) {
            return zips.filter(p -> p.getFileName().toString().endsWith("-plugin.zip")).sorted().toList();
        }
    }

    /** Copies the zips of the plugin modules {@code modules} into the distribution's plugins/. */
    static void install(Path home, String... modules) throws IOException {
        for (String module : modules) {
            Path zip = pluginZip(module);
            Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
        }
    }

    /** Runs {@code bin/piopiy args} with {@code env}; JAVA_HOME points it at the JDK running the tests. */
    static Result piopiy(Path home, Map<String, String> env, Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/piopiy").toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>(env);
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        return exec(command, environment, work);
    }

    /** Runs {@code command}, its output and errors into files of {@code work}; fails after five minutes (a Maven build is one). */
    static Result exec(List<String> command, Map<String, String> env, Path work) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\n" + Files.readString(out) + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path pluginsDir() {
        return Path.of(System.getProperty("piopiy.plugins"));
    }
}
