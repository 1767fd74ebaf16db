package ai.piopiy.runtime.manifest;

import java.util.Map;

/** Manifests for tests, using the test providers on the class path (echo, scripted, tone, energy, loopback). */
public final class TestManifests {

    private TestManifests() {}

    public static final String FULL = """
            {
              "$schema": "../docs/manifest.schema.json",
              "agent": {
                "id": "${AGENT_ID}",
                "token": "${AGENT_TOKEN}",
                "signaling_url": "${SIGNALING_URL:-https://signaling.example.com}",
                "max_concurrent_calls": "${MAX_CALLS:-4}"
              },
              "pipeline": {
                "instructions": "You are a helpful agent. Prices are in $${CURRENCY}.",
                "greeting": "Hello!",
                "initial_messages": [
                  {"role": "user", "content": "Hi"},
                  {"role": "assistant", "content": "Hello, how can I help?"}
                ],
                "stt": {"provider": "scripted", "transcripts": ["hello there"], "ms_per_word": 100},
                "llm": {"provider": "echo", "prefix": "Echo: "},
                "tts": {"switch": {"default": "english", "services": {
                  "english": {"provider": "tone", "frequency_hz": 440},
                  "spanish": {"provider": "tone", "frequency_hz": 523.25}
                }}},
                "vad": {"provider": "energy"},
                "vad_params": {"confidence": 0.6, "start_seconds": 0.06, "stop_seconds": 0.3},
                "interruptions": {"allowed": true,
                  "strategy": {"type": "min_words", "min_words": 2, "backchannels": ["Uh-huh", "okay"]}},
                "guards": {"idle_timeout_seconds": 30, "max_duration_seconds": 600, "goodbye": "Bye now."},
                "tools": [
                  {"name": "current_time", "description": "The time now", "handler": "current_time",
                   "parameters": {"type": "object", "properties": {"time_zone": {"type": "string"}}}},
                  {"name": "set_language", "description": "Speaks another language from now on", "handler": "switch_tts",
                   "timeout_seconds": 2}
                ]
              },
              "transport": {"provider": "loopback", "sample_rate": 16000}
            }
            """;

    public static final Map<String, String> ENV = Map.of("AGENT_ID", "agent-7", "AGENT_TOKEN", "tok-secret-123");
}
