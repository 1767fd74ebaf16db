package ai.piopiy.runtime.testing;

import ai.piopiy.spi.llm.LlmListener;
import ai.piopiy.spi.llm.LlmMessage;
import ai.piopiy.spi.provider.LlmProviderFactory;
import ai.piopiy.spi.llm.LlmRequest;
import ai.piopiy.spi.llm.LlmService;
import ai.piopiy.spi.llm.LlmStream;
import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderContext;
import java.util.List;

/** LLM {@code echo}: answers with {@code prefix} and the last thing the user said, word by word. */
public final class EchoLlmFactory implements LlmProviderFactory {

    @Override
    public String id() {
        return "echo";
    }

    @Override
    public String description() {
        return "repeats what the caller said";
    }

    @Override
    public LlmService create(ProviderConfig config, ProviderContext context) {
        String prefix = config.string("prefix", "You said: ");
        boolean uppercase = config.bool("uppercase", false);
        StartRendezvous.await(config);
        return new LlmService() {
            @Override
            public String name() {
                return "echo";
            }

            @Override
            public LlmStream stream(LlmRequest request, LlmListener listener) {
                List<LlmMessage> messages = request.messages();
                String said = "";
                for (int i = messages.size() - 1; i >= 0; i--) {
                    if (messages.get(i) instanceof LlmMessage.UserMessage user) {
                        said = user.content();
                        break;
                    }
                }
                String answer = prefix + (uppercase ? said.toUpperCase(java.util.Locale.ROOT) : said);
                for (String word : answer.split("(?<= )")) {
                    listener.onText(word);
                }
                listener.onComplete();
                return () -> {};
            }
        };
    }
}
