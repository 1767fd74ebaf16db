package ai.piopiy.plugin.google;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.plugin.google.internal.GrpcChannels;
import ai.piopiy.plugin.google.internal.SpeechMethods;
import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production transport: an {@code https://} endpoint gives a TLS channel on the JDK's own TLS and
 * ALPN (no native library is bundled), which negotiates HTTP/2 with a server whose certificate the
 * JDK's trust store accepts.
 */
class GoogleTlsTest {

    @Test
    void anHttpsEndpointSpeaksGrpcOverTheJdksTls(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        ServerServiceDefinition echo = ServerServiceDefinition.builder(SpeechMethods.SERVICE)
                .addMethod(SpeechMethods.STREAMING_RECOGNIZE, ServerCalls.asyncBidiStreamingCall(
                        (StreamObserver<StreamingRecognizeResponse> responses) -> new StreamObserver<StreamingRecognizeRequest>() {
                            @Override
                            public void onNext(StreamingRecognizeRequest request) {
                                responses.onNext(FakeSpeech.result("over TLS", 1f, 0));
                                responses.onCompleted();
                            }

                            @Override
                            public void onError(Throwable error) {}

                            @Override
                            public void onCompleted() {}
                        }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(keyManagers)).build())
                .addService(echo)
                .build()
                .start();
        String trustStore = System.getProperty("javax.net.ssl.trustStore");
        String trustPassword = System.getProperty("javax.net.ssl.trustStorePassword");
        System.setProperty("javax.net.ssl.trustStore", keyStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ManagedChannel channel = GrpcChannels.open("https://127.0.0.1:" + server.getPort(), executor);
        try {
            Iterator<StreamingRecognizeResponse> answers = ClientCalls.blockingServerStreamingCall(channel,
                    SpeechMethods.STREAMING_RECOGNIZE, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    StreamingRecognizeRequest.getDefaultInstance());
            assertThat(answers.next().getResults(0).getAlternatives(0).getTranscript()).isEqualTo("over TLS");
        } finally {
            restore("javax.net.ssl.trustStore", trustStore);
            restore("javax.net.ssl.trustStorePassword", trustPassword);
            GrpcChannels.shutdown(channel);
            server.shutdownNow();
            executor.close();
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
