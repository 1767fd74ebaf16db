package ai.piopiy.plugin.pocketsphinx.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The few functions of PocketSphinx 0.8's C API the plugin calls, bound with the FFM API. The
 * configuration is built with {@code cmd_ln_parse_r} from an argv array (rather than the variadic
 * {@code cmd_ln_init}); {@code dlsym} on libpocketsphinx's handle also finds that sphinxbase function,
 * since libsphinxbase is one of its dependencies.
 */
record PocketsphinxLibrary(
        MethodHandle psArgs,
        MethodHandle cmdLnParse,
        MethodHandle cmdLnFree,
        MethodHandle psInit,
        MethodHandle psFree,
        MethodHandle psStartUtt,
        MethodHandle psProcessRaw,
        MethodHandle psEndUtt,
        MethodHandle psGetHyp) {

    /**
     * @param library a library name for the dynamic linker or a path to the library
     * @throws IllegalArgumentException when the library cannot be loaded or lacks a function
     */
    // binding native code is what this plugin is for; the JVM is started with --enable-native-access
    @SuppressWarnings("restricted")
    static PocketsphinxLibrary load(String library) {
        // the library stays loaded for the life of the process: decoders may be made again later
        SymbolLookup lookup = library.contains("/")
                ? SymbolLookup.libraryLookup(Path.of(library), Arena.global())
                : SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        return new PocketsphinxLibrary(
                bind(linker, lookup, "ps_args", FunctionDescriptor.of(ADDRESS)),
                bind(linker, lookup, "cmd_ln_parse_r", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT)),
                bind(linker, lookup, "cmd_ln_free_r", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                bind(linker, lookup, "ps_init", FunctionDescriptor.of(ADDRESS, ADDRESS)),
                bind(linker, lookup, "ps_free", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                bind(linker, lookup, "ps_start_utt", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                bind(linker, lookup, "ps_process_raw", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT)),
                bind(linker, lookup, "ps_end_utt", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                bind(linker, lookup, "ps_get_hyp", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS)));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bind(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(
                () -> new IllegalArgumentException("the library has no function " + name + " (is it PocketSphinx 0.8?)"));
        return linker.downcallHandle(symbol, descriptor);
    }
}
