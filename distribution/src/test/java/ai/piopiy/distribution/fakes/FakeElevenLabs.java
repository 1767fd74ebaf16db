package ai.piopiy.distribution.fakes;

import ai.piopiy.spi.audio.Pcm16;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * ElevenLabs' stream-input socket ({@code /v1/text-to-speech/{voice_id}/stream-input}), one per
 * answer: each piece of text is answered with one audio frame in the handshake's
 * {@code output_format} ({@code ulaw_8000} or {@code pcm_<rate>}) carrying its characters'
 * alignment; the closing {@code {"text": ""}} with {@code isFinal} and a close.
 */
public final class FakeElevenLabs extends FakeTtsSocketServer {

    public FakeElevenLabs(double hz) {
        super(hz);
    }

    @Override
    protected void text(Connection connection, JsonNode message) {
        String text = message.path("text").asText();
        if (text.isEmpty()) {
            connection.send("{\"isFinal\":true}");
            connection.close(1000, "");
            return;
        }
        if (text.isBlank()) {
            return; // the opening message
        }
        String format = connection.url().queryParameter("output_format");
        boolean ulaw = format.equals("ulaw_8000");
        int rate = ulaw ? 8000 : Integer.parseInt(format.substring("pcm_".length()));
        byte[] pcm = voice.speak(text, rate);
        byte[] audio = pcm;
        if (ulaw) {
            audio = new byte[pcm.length / 2];
            for (int i = 0; i < audio.length; i++) {
                audio[i] = Pcm16.linearToUlaw(Pcm16.sample(pcm, i));
            }
        }
        ObjectNode frame = JSON.createObjectNode().put("audio", Base64.getEncoder().encodeToString(audio)).putNull("isFinal");
        // the characters spread evenly over the chunk's audio, in ms from its start
        double millisPerChar = pcm.length / 2 * 1000.0 / rate / text.length();
        ObjectNode alignment = frame.putObject("alignment");
        ArrayNode chars = alignment.putArray("chars");
        ArrayNode starts = alignment.putArray("charStartTimesMs");
        ArrayNode durations = alignment.putArray("charDurationsMs");
        for (int i = 0; i < text.length(); i++) {
            chars.add(String.valueOf(text.charAt(i)));
            starts.add((int) (i * millisPerChar));
            durations.add((int) millisPerChar);
        }
        frame.putNull("normalizedAlignment");
        connection.send(frame.toString());
    }
}
