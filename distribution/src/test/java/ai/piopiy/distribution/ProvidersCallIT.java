package ai.piopiy.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call through the wave-1 cloud providers as a user would run one: the distribution with the
 * deepgram, openai and cartesia plugins in its plugins/ folder, a manifest naming them, and local
 * servers speaking each provider's protocol (Deepgram's listen WebSocket, OpenAI's streamed chat
 * completions, Cartesia's TTS WebSocket) in place of the real services. The caller is the flite
 * simulated caller.
 */
class ProvidersCallIT {

    static final String[] PLUGINS = {"deepgram", "openai", "cartesia", "simulated-caller"};
    static final String DEEPGRAM_KEY = "dg-test-key-7431";
    static final String OPENAI_KEY = "sk-test-key-9920";
    static final String CARTESIA_KEY = "ct-test-key-5512";

    /** Deepgram's listen socket: a final result once a stretch of loud audio is followed by quiet. */
    static final class FakeDeepgram extends WebSocketListener {
        volatile WebSocket socket;
        final AtomicInteger binaryMessages = new AtomicInteger();
        final List<String> texts = new CopyOnWriteArrayList<>();
        volatile String authorization;
        private int loud;
        private int quiet;

        @Override
        public void onOpen(WebSocket socket, Response response) {
            this.socket = socket;
            authorization = response.request().header("Authorization");
        }

        @Override
        public synchronized void onMessage(WebSocket socket, ByteString bytes) {
            binaryMessages.incrementAndGet();
            byte[] pcm = bytes.toByteArray();
            long sum = 0;
            for (int i = 0; i + 1 < pcm.length; i += 2) {
                int s = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
                sum += (long) s * s;
            }
            double rms = Math.sqrt((double) sum / Math.max(1, pcm.length / 2));
            if (rms > 300) {
                loud++;
                quiet = 0;
            } else if (loud >= 25 && ++quiet == 15) {
                loud = 0;
                socket.send("{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":2.1,\"start\":0.5,\"is_final\":true,"
                        + "\"speech_final\":true,\"channel\":{\"alternatives\":[{\"transcript\":\"what is the weather in london\","
                        + "\"confidence\":0.97,\"words\":[]}]},\"metadata\":{\"request_id\":\"r1\",\"model_info\":{\"name\":\"2-general-nova\","
                        + "\"version\":\"2024-01-09.29447\",\"arch\":\"nova-2\"},\"model_uuid\":\"m1\"},\"from_finalize\":false}");
            }
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            texts.add(text);
            if (text.contains("CloseStream")) {
                socket.send("{\"type\":\"Metadata\",\"request_id\":\"r1\",\"duration\":4.2,\"channels\":1}");
                socket.close(1000, "done");
            }
        }
    }

    /** Cartesia's TTS socket: 100 ms of tone per word of each transcript piece, then done when the context ends. */
    static final class FakeCartesia extends WebSocketListener {
        volatile WebSocket socket;
        final List<String> transcripts = new CopyOnWriteArrayList<>();
        volatile String authorization;

        @Override
        public void onOpen(WebSocket socket, Response response) {
            this.socket = socket;
            authorization = response.request().header("Authorization");
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            String context = field(text, "context_id");
            String transcript = field(text, "transcript");
            int rate = Integer.parseInt(number(text, "sample_rate"));
            if (transcript != null && !transcript.isBlank()) {
                transcripts.add(transcript.strip());
                int words = transcript.strip().split("\\s+").length;
                for (int w = 0; w < words * 5; w++) { // 20 ms chunks
                    byte[] pcm = new byte[rate / 50 * 2];
                    for (int n = 0; n < pcm.length / 2; n++) {
                        short v = (short) (5000 * Math.sin(2 * Math.PI * 500 * n / rate));
                        pcm[2 * n] = (byte) v;
                        pcm[2 * n + 1] = (byte) (v >> 8);
                    }
                    socket.send("{\"type\":\"chunk\",\"context_id\":\"" + context + "\",\"status_code\":206,\"done\":false,\"data\":\""
                            + Base64.getEncoder().encodeToString(pcm) + "\"}");
                }
            }
            if (text.contains("\"continue\":false")) {
                socket.send("{\"type\":\"done\",\"context_id\":\"" + context + "\",\"status_code\":206,\"done\":true}");
            }
        }

        static String field(String json, String name) {
            Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
            return m.find() ? m.group(1) : null;
        }

        static String number(String json, String name) {
            Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
            return m.find() ? m.group(1) : "16000";
        }
    }

    @Test
    void aCallRunsThroughDeepgramOpenAiAndCartesiaLoadedFromThePluginsFolder(@TempDir Path work) throws Exception {
        Path root = Path.of(System.getProperty("piopiy.root"));
        Path unpacked = Files.createDirectories(work.resolve("dist"));
        DemoIT.run(List.of("tar", "xzf", System.getProperty("piopiy.distribution"), "-C", unpacked.toString()), work);
        Path home;
        try (Stream<Path> dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
        for (String plugin : PLUGINS) {
            try (Stream<Path> zips = Files.list(root.resolve("plugins").resolve(plugin).resolve("target"))) {
                Path zip = zips.filter(p -> p.getFileName().toString().endsWith("-plugin.zip")).findFirst().orElseThrow();
                Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
            }
        }
        FakeDeepgram deepgram = new FakeDeepgram();
        FakeCartesia cartesia = new FakeCartesia();
        try (MockWebServer stt = new MockWebServer(); MockWebServer llm = new MockWebServer(); MockWebServer tts = new MockWebServer()) {
          try {
            stt.enqueue(new MockResponse.Builder().webSocketUpgrade(deepgram).build());
            tts.enqueue(new MockResponse.Builder().webSocketUpgrade(cartesia).build());
            llm.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(
                    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"It is sunny\"},\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" in London today.\"},\"finish_reason\":\"stop\"}]}\n\n"
                    + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":7,\"total_tokens\":38}}\n\n"
                    + "data: [DONE]\n\n").build());
            stt.start();
            llm.start();
            tts.start();
            Path manifest = work.resolve("agent.json");
            Files.writeString(manifest, """
                    {
                      "agent": {"id": "it-agent", "token": "not-used"},
                      "pipeline": {
                        "instructions": "You are a weather line.",
                        "greeting": "Hello, weather line.",
                        "stt": {"provider": "deepgram", "url": "ws://127.0.0.1:%d/v1/listen"},
                        "llm": {"provider": "openai", "base_url": "http://127.0.0.1:%d/v1"},
                        "tts": {"provider": "cartesia", "base_url": "ws://127.0.0.1:%d"}
                      },
                      "transport": {"provider": "simulated-caller",
                                    "lines": [{"say": "what is the weather in london", "when": "bot_quiet", "after_ms": 500}],
                                    "hang_up_after_ms": 1000}
                    }
                    """.formatted(stt.getPort(), llm.getPort(), tts.getPort()));
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/piopiy").toString(), "--report", work.resolve("report").toString(),
                    "call", manifest.toString()).redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("DEEPGRAM_API_KEY", DEEPGRAM_KEY);
            builder.environment().put("OPENAI_API_KEY", OPENAI_KEY);
            builder.environment().put("CARTESIA_API_KEY", CARTESIA_KEY);
            Path log = work.resolve("out.txt");
            Process p = builder.redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            String out = Files.readString(log);
            assertThat(p.exitValue()).as(out).isZero();

            assertThat(out).contains("caller  what is the weather in london", "agent   It is sunny in London today.");
            // each provider got what its protocol says, with the key from the environment
            assertThat(deepgram.authorization).isEqualTo("Token " + DEEPGRAM_KEY);
            assertThat(deepgram.binaryMessages.get()).isGreaterThan(100);
            assertThat(deepgram.texts).anyMatch(t -> t.contains("CloseStream"));
            var request = llm.takeRequest();
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
            assertThat(request.getBody().utf8()).contains("\"stream\":true", "what is the weather in london", "You are a weather line.");
            assertThat(cartesia.authorization).isEqualTo("Bearer " + CARTESIA_KEY);
            assertThat(cartesia.transcripts).contains("Hello, weather line.", "It is sunny in London today.");
            // no key ever reaches the output
            assertThat(out).doesNotContain(DEEPGRAM_KEY, OPENAI_KEY, CARTESIA_KEY);
          } finally {
            // the server side of a socket whose client process is gone still holds MockWebServer's shutdown
            for (WebSocket s : new WebSocket[] {deepgram.socket, cartesia.socket}) {
                if (s != null) {
                    s.close(1000, "test over");
                }
            }
          }
        }
    }
}
