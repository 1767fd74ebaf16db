package ai.piopiy.runtime.testing;

import ai.piopiy.spi.audio.AudioFormat;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import ai.piopiy.spi.provider.TransportProviderFactory;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportListener;
import ai.piopiy.spi.transport.TransportService;
import java.io.ByteArrayOutputStream;

/** Transport {@code loopback}: the caller joins at once; the bot's audio is kept in memory. */
public final class LoopbackTransportFactory implements TransportProviderFactory {

    @Override
    public String id() {
        return "loopback";
    }

    @Override
    public TransportService create(ProviderConfig config, ProviderContext context) {
        AudioFormat format = AudioFormat.pcm16(config.integer("sample_rate", 16000));
        return new TransportService() {
            @Override
            public String name() {
                return "loopback";
            }

            @Override
            public CallTransport open(CallInfo call) {
                return new Loopback(format);
            }
        };
    }

    /** A call whose output is recorded. */
    public static final class Loopback implements CallTransport {
        private final AudioFormat format;
        private final ByteArrayOutputStream played = new ByteArrayOutputStream();

        Loopback(AudioFormat format) {
            this.format = format;
        }

        @Override
        public AudioFormat inputFormat() {
            return format;
        }

        @Override
        public AudioFormat outputFormat() {
            return format;
        }

        @Override
        public void start(TransportListener listener) {
            listener.onCallerJoined("caller");
        }

        @Override
        public synchronized void writeAudio(byte[] pcm, int offset, int length) {
            played.write(pcm, offset, length);
        }

        public synchronized int playedBytes() {
            return played.size();
        }

        @Override
        public void close() {}
    }
}
