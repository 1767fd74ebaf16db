package ai.piopiy.distribution.fakes;

import ai.piopiy.spi.audio.Pcm16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Buffer;

/**
 * OpenAI's transcription endpoint ({@code POST /v1/audio/transcriptions}, a multipart form with the
 * segment as {@code file}, a WAV): a segment of speech is answered with the next scripted transcript,
 * as {@code {"text": ...}}; a quiet one with an empty text, as Whisper answers a cough.
 */
public final class FakeWhisper extends FakeHttpServer {

    /** One uploaded segment: its length and loudness. */
    public record Segment(long millis, double rms) {}

    private final List<String> script;
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<Segment> segments = new CopyOnWriteArrayList<>();

    public FakeWhisper(List<String> transcripts) {
        this.script = List.copyOf(transcripts);
    }

    /** The {@code base_url} setting of the provider. */
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    @Override
    protected synchronized MockResponse answer(RecordedRequest request) {
        if (!request.getMethod().equals("POST") || !request.getUrl().encodedPath().equals("/v1/audio/transcriptions")) {
            return openAiError(404, "no such endpoint: " + request.getRequestLine());
        }
        Map<String, byte[]> parts;
        try {
            parts = parts(request);
        } catch (IOException | RuntimeException e) {
            return openAiError(400, "not a multipart form: " + e.getMessage());
        }
        byte[] wav = parts.get("file");
        if (wav == null || wav.length < 44 || !new String(wav, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")) {
            return openAiError(400, "expected a WAV file in the part 'file'");
        }
        int rate = ByteBuffer.wrap(wav, 24, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] pcm = Arrays.copyOfRange(wav, 44, wav.length);
        Segment segment = new Segment(pcm.length / 2 * 1000L / rate, Pcm16.rms(pcm));
        segments.add(segment);
        String text = "";
        if (segment.rms() > 300) {
            text = heard.size() < script.size() ? script.get(heard.size()) : CallerTurns.UNSCRIPTED;
            heard.add(text);
        }
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(JSON.createObjectNode().put("text", " " + text).toString()).build();
    }

    private static Map<String, byte[]> parts(RecordedRequest request) throws IOException {
        MediaType type = MediaType.get(request.getHeaders().get("Content-Type"));
        Map<String, byte[]> parts = new HashMap<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(request.getBody()), type.parameter("boundary"))) {
            MultipartReader.Part part;
            while ((part = reader.nextPart()) != null) {
                String name = part.headers().get("Content-Disposition").replaceAll("^form-data; name=\"([^\"]+)\".*", "$1");
                parts.put(name, part.body().readByteArray());
            }
        }
        return parts;
    }

    /** The transcripts sent, one per segment of speech. */
    public List<String> heard() {
        return List.copyOf(heard);
    }

    /** Every segment uploaded, in order. */
    public List<Segment> segments() {
        return List.copyOf(segments);
    }
}
