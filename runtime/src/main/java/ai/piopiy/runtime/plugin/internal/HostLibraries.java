package ai.piopiy.runtime.plugin.internal;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The jars of the runtime's own class path that a plugin may share instead of loading its copy.
 *
 * <p>Most first-party plugins bundle the very jars the runtime ships (OkHttp, Okio, Kotlin's standard
 * library, Jackson). Loaded once per plugin, each copy is defined, verified, initialised and
 * JIT-compiled again, none of it is AOT-linked with the runtime's class path, and five plugins mean
 * five TLS set-ups and five connection pools. When a plugin's jar is
 * byte for byte the runtime's, the plugin gets the runtime's classes of that jar instead: it sees
 * exactly the library version it bundled, so isolation is kept where it matters, and a plugin with
 * another version of the library keeps its own copy as before.
 *
 * <p>Only the application class loader's jars are offered (the {@code java.class.path}, or the
 * manifest {@code Class-Path} of a lone jar there); when the runtime is embedded under another
 * loader, nothing is shared.
 */
final class HostLibraries {

    /** Turns sharing off ({@code -Dpiopiy.plugins.shareHostLibraries=false}): every plugin loads its own copies. */
    static final String SHARE_PROPERTY = "piopiy.plugins.shareHostLibraries";

    private static final int END_RECORD_SIGNATURE = 0x06054b50;
    private static final int END_RECORD_SIZE = 22;
    private static final int DIRECTORY_RECORD_SIGNATURE = 0x02014b50;
    private static final int DIRECTORY_RECORD_SIZE = 46;

    private static final HostLibraries NONE = new HostLibraries(Map.of());

    private final Map<String, Path> byFileName;
    private final Map<Path, SharedJar> shared = new ConcurrentHashMap<>();
    private final Map<Path, Optional<SharedJar>> decided = new ConcurrentHashMap<>();
    /** Host jars' central directories, read once however many plugins bundle a copy. */
    private final Map<Path, byte[]> hostDirectories = new ConcurrentHashMap<>();

    private HostLibraries(Map<String, Path> byFileName) {
        this.byFileName = byFileName;
    }

    /** The host's shareable jars: those of the class path when {@code host} is the application class loader. */
    static HostLibraries of(ClassLoader host) {
        requireNonNull(host, "host is null");
        if (host != ClassLoader.getSystemClassLoader() || "false".equals(System.getProperty(SHARE_PROPERTY))) {
            return NONE;
        }
        Map<String, Path> jars = new HashMap<>();
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                try {
                    classPath.add(Path.of(entry).toAbsolutePath());
                } catch (InvalidPathException e) {
                    // not a path this runtime can compare; that jar is simply not shared
                }
            }
        }
        if (classPath.size() == 1) {
            // java -jar, or a launcher's manifest-only jar (Maven's test runner): the class path is in its manifest
            classPath.addAll(manifestClassPath(classPath.getFirst()));
        }
        for (Path jar : classPath) {
            // the first of two same-named jars is the one the class path resolves classes from
            jars.putIfAbsent(jar.getFileName().toString(), jar);
        }
        return new HostLibraries(Map.copyOf(jars));
    }

    private static List<Path> manifestClassPath(Path jar) {
        List<Path> entries = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null) {
                return entries;
            }
            URI base = jar.toUri();
            for (String entry : classPath.trim().split("\\s+")) {
                if (entry.endsWith(".jar")) {
                    entries.add(Path.of(base.resolve(entry)));
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable manifest only means nothing is shared
        }
        return entries;
    }

    /**
     * The host's copy of {@code pluginJar} when the host has an identical one: same file name, same size,
     * same central directory (a rebuilt snapshot of the same name is not identical).
     */
    Optional<SharedJar> identicalTo(Path pluginJar) {
        Path hostJar = byFileName.get(pluginJar.getFileName().toString());
        if (hostJar == null) {
            return Optional.empty();
        }
        // asked twice per jar: when the plugin's jars are checked, and when its class path is made.
        // Not computeIfAbsent: that would hold up plugins loading in parallel whose jars share a bin
        Path key = pluginJar.toAbsolutePath();
        Optional<SharedJar> known = decided.get(key);
        if (known == null) {
            known = compare(hostJar, key);
            decided.putIfAbsent(key, known);
        }
        return known;
    }

    private Optional<SharedJar> compare(Path hostJar, Path pluginJar) {
        try {
            if (Files.size(hostJar) != Files.size(pluginJar)
                    || !Arrays.equals(hostDirectory(hostJar), centralDirectory(pluginJar))) {
                return Optional.empty();
            }
            SharedJar jar = shared.get(hostJar);
            if (jar == null) {
                jar = SharedJar.of(hostJar, hostDirectory(hostJar));
                SharedJar first = shared.putIfAbsent(hostJar, jar);
                jar = first != null ? first : jar;
            }
            return Optional.of(jar);
        } catch (IOException | UncheckedIOException e) {
            // unreadable here means the plugin's own copy is used, which reports its own problems
            return Optional.empty();
        }
    }

    private byte[] hostDirectory(Path hostJar) throws IOException {
        byte[] directory = hostDirectories.get(hostJar);
        if (directory == null) {
            directory = centralDirectory(hostJar);
            hostDirectories.put(hostJar, directory);
        }
        return directory;
    }

    /**
     * A zip's central directory: every entry's name, sizes, CRC-32 and time. Two jars of one size with
     * equal directories hold the same bytes (a changed entry changes its CRC), and comparing them reads
     * some kilobytes instead of whole jars, which at start-up, with nothing compiled yet, costs 50 ms
     * for the four libraries a plugin typically shares (measured). Falls back to the whole file for a
     * zip without a plain end record (zip64, or a comment in the way).
     */
    static byte[] centralDirectory(Path zip) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size >= END_RECORD_SIZE) {
                ByteBuffer end = ByteBuffer.allocate(END_RECORD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                channel.read(end, size - END_RECORD_SIZE);
                long directorySize = Integer.toUnsignedLong(end.getInt(12));
                long directoryOffset = Integer.toUnsignedLong(end.getInt(16));
                if (end.getInt(0) == END_RECORD_SIGNATURE && directorySize != 0xFFFFFFFFL
                        && directoryOffset != 0xFFFFFFFFL && directoryOffset + directorySize <= size - END_RECORD_SIZE) {
                    ByteBuffer directory = ByteBuffer.allocate(Math.toIntExact(directorySize));
                    while (directory.hasRemaining() && channel.read(directory, directoryOffset + directory.position()) > 0) {
                        // read() may return less than asked
                    }
                    return directory.array();
                }
            }
        }
        return Files.readAllBytes(zip);
    }

    /**
     * Whether the jar at {@code jar} has an entry named {@code name}, read from its central directory:
     * opening it as a {@link JarFile} indexes every entry, which for a plugin's large libraries is a
     * noticeable share of start-up, and the plugin's class loader opens it again anyway if it needs it.
     *
     * @throws IOException when the jar cannot be read (a corrupt or truncated zip)
     */
    static boolean hasEntry(Path jar, String name) throws IOException {
        byte[] directory = centralDirectory(jar);
        if (!EntryNames.plain(directory)) {
            // not a plain central directory: let the JDK read the zip (and say what is wrong with it)
            try (JarFile file = new JarFile(jar.toFile())) {
                return file.getEntry(name) != null;
            }
        }
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (EntryNames names = new EntryNames(directory); names.next(); ) {
            if (names.end() - names.start() == wanted.length
                    && Arrays.equals(directory, names.start(), names.end(), wanted, 0, wanted.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The entry names of a central directory, one record after the other, as offsets into it: a name
     * becomes a String only where the caller needs one.
     */
    private static final class EntryNames {

        private final byte[] directory;
        private final ByteBuffer records;
        private int next;
        private int start;
        private int end;

        EntryNames(byte[] directory) {
            this.directory = directory;
            this.records = ByteBuffer.wrap(directory).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Whether {@code directory} starts with an entry record (else it is the whole file: see {@link HostLibraries#centralDirectory}). */
        static boolean plain(byte[] directory) {
            return directory.length >= 4
                    && ByteBuffer.wrap(directory).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == DIRECTORY_RECORD_SIGNATURE;
        }

        /** Moves to the next record; false after the last. */
        boolean next() {
            if (next + DIRECTORY_RECORD_SIZE > directory.length || records.getInt(next) != DIRECTORY_RECORD_SIGNATURE) {
                return false;
            }
            int nameLength = Short.toUnsignedInt(records.getShort(next + 28));
            int extraLength = Short.toUnsignedInt(records.getShort(next + 30));
            int commentLength = Short.toUnsignedInt(records.getShort(next + 32));
            start = next + DIRECTORY_RECORD_SIZE;
            end = Math.min(start + nameLength, directory.length);
            next += DIRECTORY_RECORD_SIZE + nameLength + extraLength + commentLength;
            return true;
        }

        /** Where the current record's name starts in the directory. */
        int start() {
            return start;
        }

        /** Where it ends (exclusive). */
        int end() {
            return end;
        }
    }

    /**
     * A host jar a plugin shares: where it is (its real path), the packages of its classes, which the
     * plugin then loads from the host, and its other files (resources), so that a resource the jar does
     * not have is not looked up on the host's whole class path, which opens every jar there.
     */
    record SharedJar(Path path, Set<String> packages, Set<String> resources) {

        private static final String VERSIONS = "META-INF/versions/";

        /** Whether {@code name}, a resource name ({@code okhttp3/OkHttpClient.class}), may be in this jar. */
        boolean mayHold(String name) {
            if (resources.contains(name)) {
                return true;
            }
            int slash = name.lastIndexOf('/');
            return name.endsWith(".class") && slash > 0 && packages.contains(name.substring(0, slash).replace('/', '.'));
        }

        /** Whether {@code resource}, a URL the host's loader gave, lies in this jar. */
        boolean holds(URL resource) {
            if (!"jar".equals(resource.getProtocol())) {
                return false;
            }
            String spec = resource.getPath();
            int separator = spec.indexOf("!/");
            if (separator < 0) {
                return false;
            }
            try {
                return Path.of(new URI(spec.substring(0, separator))).toRealPath().equals(path);
            } catch (URISyntaxException | IOException | RuntimeException e) {
                return false;
            }
        }

        /**
         * The jar at {@code jar}, its packages and resources taken from its central directory (already read
         * to compare it), without opening the jar again. Runs before anything is compiled, so a name
         * becomes a String only when it is a resource or a class in another directory than the one
         * before (a jar lists a package's classes together).
         */
        static SharedJar of(Path jar, byte[] directory) {
            Set<String> packages = new HashSet<>();
            Set<String> resources = new HashSet<>();
            if (EntryNames.plain(directory)) {
                int lastDirectory = 0;
                int lastDirectoryLength = -1;
                for (EntryNames names = new EntryNames(directory); names.next(); ) {
                    int name = names.start();
                    int end = names.end();
                    if (end > name && directory[end - 1] != '/') {
                        if (isClassFile(directory, name, end)) {
                            int slash = end - 1;
                            while (slash > name && directory[slash] != '/') {
                                slash--;
                            }
                            int length = slash - name;
                            if (length != lastDirectoryLength
                                    || !Arrays.equals(directory, name, slash, directory, lastDirectory, lastDirectory + length)) {
                                addPackage(packages, new String(directory, name, end - name, StandardCharsets.UTF_8));
                                lastDirectory = name;
                                lastDirectoryLength = length;
                            }
                        } else {
                            resources.add(new String(directory, name, end - name, StandardCharsets.UTF_8));
                        }
                    }
                }
            } else {
                // not a plain central directory (the whole file came back): let the JDK list it
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    Enumeration<? extends ZipEntry> entries = zip.entries();
                    while (entries.hasMoreElements()) {
                        ZipEntry entry = entries.nextElement();
                        if (entry.getName().endsWith(".class")) {
                            addPackage(packages, entry.getName());
                        } else if (!entry.isDirectory()) {
                            resources.add(entry.getName());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                return new SharedJar(jar.toRealPath(), Set.copyOf(packages), Set.copyOf(resources));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static boolean isClassFile(byte[] directory, int name, int end) {
            return end - name > 6 && directory[end - 6] == '.' && directory[end - 5] == 'c' && directory[end - 4] == 'l'
                    && directory[end - 3] == 'a' && directory[end - 2] == 's' && directory[end - 1] == 's';
        }

        /** The package of {@code classFile}, a class file's name in the jar. */
        private static void addPackage(Set<String> packages, String classFile) {
            String name = classFile;
            if (name.startsWith(VERSIONS)) {
                // a multi-release jar's newer class files: META-INF/versions/<n>/<package>/<class>
                int afterVersion = name.indexOf('/', VERSIONS.length());
                name = afterVersion < 0 ? "" : name.substring(afterVersion + 1);
            }
            int slash = name.lastIndexOf('/');
            if (slash > 0 && !name.startsWith("META-INF/")) {
                packages.add(name.substring(0, slash).replace('/', '.'));
            }
        }
    }
}
