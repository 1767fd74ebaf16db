package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ConfigException;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.stt.SttService;
import ai.piopiy.spi.stt.SttStream;
import ai.piopiy.spi.stt.SttStreamSpec;
import ai.piopiy.spi.stt.Transcript;
import ai.piopiy.spi.tts.TtsService;
import ai.piopiy.spi.tts.TtsUtterance;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin ZIP, loaded in its own class loader as the host loads it (gRPC, Netty, protobuf and
 * OkHttp from its lib/ only), transcribes and speaks through local servers.
 */
class GooglePluginZipIT {

    @Test
    void theZipIsASelfContainedPluginThatTranscribesAndSpeaks(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir.resolve("plugin"));
                FakeTokenEndpoint tokens = new FakeTokenEndpoint();
                FakeSpeech speech = new FakeSpeech();
                MockWebServer tts = new MockWebServer();
                RecordingProviderContext context = new RecordingProviderContext("google")) {
            List<ProviderFactory> factories = plugin.checkPlugin("google",
                    List.of("grpc-netty-1", "netty-codec-http2-", "grpc-core-", "protobuf-java-", "proto-google-cloud-speech-v1-", 
                            "jackson-databind-", "piopiy-plugin-google-"),
                    List.of(Map.entry("google-stt", ProviderKind.STT), Map.entry("google-tts", ProviderKind.TTS)));
            Path keyFile = tokens.writeKeyFile(Files.createDirectories(dir.resolve("secrets")));
            ClassLoader host = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(plugin.loader());
            try {
                assertThatThrownBy(() -> factories.getFirst().create(ProviderConfig.of("pipeline.stt", Map.of(), Map.of()), context))
                        .isInstanceOf(ConfigException.class).hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS");

                SttService stt = (SttService) factories.getFirst().create(ProviderConfig.of("pipeline.stt",
                        Map.of("endpoint", speech.endpoint()), Map.of("GOOGLE_APPLICATION_CREDENTIALS", keyFile.toString())), context);
                SttEvents heard = new SttEvents();
                try {
                    SttStream stream = stt.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-1"), heard);
                    byte[] audio = new byte[640];
                    stream.sendAudio(audio, 0, audio.length);
                    FakeSpeech.Stream call = speech.nextStream();
                    assertThat(call.awaitAudio(audio.length)).isEqualTo(audio);
                    assertThat(call.authorization()).isEqualTo("Bearer " + FakeTokenEndpoint.TOKEN);
                    call.send(FakeSpeech.result("Loaded from the zip.", 0.9f, 20));
                    assertThat(heard.next(Transcript.class).text()).isEqualTo("Loaded from the zip.");
                    stream.close();
                } finally {
                    stt.close();
                }

                // TLS (the JDK's, with ALPN) loads from the zip too: a handshake with a plaintext server fails cleanly
                SttService tls = (SttService) factories.getFirst().create(ProviderConfig.of("pipeline.stt",
                        Map.of("endpoint", speech.endpoint().replace("http://", "https://")),
                        Map.of("GOOGLE_APPLICATION_CREDENTIALS", keyFile.toString())), context);
                SttEvents refused = new SttEvents();
                try {
                    tls.openStream(new SttStreamSpec(AudioFormat.PCM16_16K, "call-2"), refused).sendAudio(new byte[640], 0, 640);
                    ServiceException error = refused.next(ServiceException.class);
                    assertThat(error.fatal()).isFalse();
                    assertThat(error.getMessage()).contains("UNAVAILABLE");
                } finally {
                    tls.close();
                }

                tts.start();
                tts.enqueue(GoogleTtsServiceTest.audio(GoogleTtsServiceTest.wav(8_000, new byte[160])));
                TtsService speaker = (TtsService) factories.get(1).create(ProviderConfig.of("pipeline.tts",
                        Map.of("endpoint", tts.url("/").toString().replaceAll("/$", ""), "credentials_path", keyFile.toString(),
                                "streaming", false),
                        Map.of()), context);
                TtsEvents spoken = new TtsEvents();
                try {
                    TtsUtterance utterance = speaker.openSession(AudioFormat.PCM16_8K, "call-1").startUtterance(spoken);
                    utterance.sendText("Hello from the zip.");
                    utterance.finish();
                    assertThat(TtsEvents.audioOf(spoken.untilEnd())).hasSize(160);
                } finally {
                    speaker.close();
                }
            } finally {
                Thread.currentThread().setContextClassLoader(host);
            }
            context.logger().assertNeverLogged(FakeTokenEndpoint.TOKEN, FakeTokenEndpoint.privateKeyFragment());
            long zipBytes = Files.size(Path.of(System.getProperty("piopiy.plugin.zip")));
            System.out.println("google plugin zip: " + zipBytes / 1024 + " KiB, lib/: " + plugin.libraries());
        }
    }
}
