package ai.piopiy.runtime.testing;

import ai.piopiy.spi.ServiceException;
import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.ToolCall;
import java.util.List;

/** The text an LLM service answers, for providers that answer on the calling thread. */
public final class LlmAnswers {

    private LlmAnswers() {}

    public static String answer(LlmService llm, String userSaid) {
        StringBuilder text = new StringBuilder();
        llm.stream(new LlmRequest(List.of(LlmMessage.user(userSaid)), List.of()), new LlmListener() {
            @Override
            public void onText(String t) {
                text.append(t);
            }

            @Override
            public void onToolCall(ToolCall call) {}

            @Override
            public void onComplete() {}

            @Override
            public void onError(ServiceException error) {
                throw error;
            }
        });
        return text.toString();
    }
}
