package ai.piopiy.plugin.ttswebsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64CharsTest {

    @Test
    void decodesWhatTheJdkEncodesAtEveryLengthPaddedOrNot() throws IOException {
        Random random = new Random(42);
        for (int length = 0; length < 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getEncoder().withoutPadding()}) {
                char[] text = ("{\"data\":\"" + encoder.encodeToString(bytes) + "\"}").toCharArray();
                assertThat(Base64Chars.decode(text, 9, text.length - 11)).as("length %d", length).isEqualTo(bytes);
            }
        }
    }

    @Test
    void rejectsWhatIsNotBase64() {
        assertThatThrownBy(() -> decode("AAA*")).isInstanceOf(IOException.class).hasMessage("invalid base64 character '*'");
        assertThatThrownBy(() -> decode("AAAAA")).isInstanceOf(IOException.class).hasMessage("invalid base64 length 5");
        assertThatThrownBy(() -> decode("AA=")).isInstanceOf(IOException.class).hasMessage("invalid base64 length 3");
        assertThatThrownBy(() -> decode("AAé=")).isInstanceOf(IOException.class).hasMessage("invalid base64 character 'é'");
    }

    private static byte[] decode(String s) throws IOException {
        return Base64Chars.decode(s.toCharArray(), 0, s.length());
    }
}
