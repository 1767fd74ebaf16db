package ai.piopiy.plugin.simcaller;

import static org.assertj.core.api.Assertions.assertThat;

import ai.piopiy.spi.provider.ProviderConfig;
import ai.piopiy.spi.provider.ProviderFactory;
import ai.piopiy.spi.provider.ProviderKind;
import ai.piopiy.spi.transport.CallInfo;
import ai.piopiy.spi.transport.CallTransport;
import ai.piopiy.spi.transport.TransportService;
import ai.piopiy.testing.PluginZip;
import ai.piopiy.testing.RecordingProviderContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built plugin ZIP, loaded in its own class loader as the host loads it, opens a call with its lines spoken. */
class SimulatedCallerPluginZipIT {

    @Test
    void theZipIsASelfContainedPluginThatOpensACall(@TempDir Path dir) throws Exception {
        try (PluginZip plugin = PluginZip.fromBuild(dir);
                RecordingProviderContext context = new RecordingProviderContext("simulated-caller")) {
            ProviderFactory factory = plugin.checkPlugin("simulated-caller", ProviderKind.TRANSPORT,
                    List.of("piopiy-plugin-simulated-caller-"), "simulated-caller").getFirst();
            TransportService service = (TransportService) factory.create(ProviderConfig.of("transport",
                    Map.of("lines", List.of(Map.of("say", "hello there"))), Map.of()), context);
            CallTransport call = service.open(new CallInfo("c1", "a", null, null, null, null, null, Map.of()));
            assertThat(call.inputFormat().sampleRate()).isEqualTo(16_000);
            assertThat(call.outputFormat().sampleRate()).isEqualTo(8_000);
            call.close();
            service.close();
        }
    }
}
