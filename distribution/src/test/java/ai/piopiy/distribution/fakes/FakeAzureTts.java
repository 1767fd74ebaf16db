package ai.piopiy.distribution.fakes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * Azure Speech's synthesis endpoint ({@code POST /cognitiveservices/v1}, SSML in): the text of the
 * SSML's {@code voice} as headerless PCM16 in the {@code X-Microsoft-OutputFormat} asked for
 * ({@code raw-8khz-16bit-mono-pcm}, ...), in a chunked body.
 */
public final class FakeAzureTts extends FakeTtsHttpServer {

    private static final Pattern FORMAT = Pattern.compile("raw-(\\d+)(k?)hz-16bit-mono-pcm");
    private static final Pattern VOICE = Pattern.compile("<voice [^>]*>(.*)</voice>", Pattern.DOTALL);

    public FakeAzureTts(double hz) {
        super(hz);
    }

    /** The {@code endpoint} setting of the {@code azure-tts} provider. */
    public String endpoint() {
        return rootUrl() + "/cognitiveservices/v1";
    }

    @Override
    protected MockResponse answer(RecordedRequest request) {
        if (!request.getMethod().equals("POST") || !request.getUrl().encodedPath().equals("/cognitiveservices/v1")) {
            return plain(404, "no such endpoint: " + request.getRequestLine());
        }
        Matcher format = FORMAT.matcher(String.valueOf(request.getHeaders().get("X-Microsoft-OutputFormat")));
        Matcher ssml = VOICE.matcher(request.getBody().utf8());
        if (!format.matches() || !ssml.find()) {
            return plain(400, "expected a raw PCM output format and SSML with a voice");
        }
        int rate = Integer.parseInt(format.group(1)) * (format.group(2).isEmpty() ? 1 : 1000);
        String text = ssml.group(1).replaceAll("<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "audio/x-wav")
                .chunkedBody(new Buffer().write(voice.speak(text, rate)), rate / 10 * 2).build();
    }

    private static MockResponse plain(int code, String message) {
        return new MockResponse.Builder().code(code).body(message).build();
    }

}
