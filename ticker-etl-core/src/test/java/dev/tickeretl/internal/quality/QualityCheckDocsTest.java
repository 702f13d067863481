package dev.tickeretl.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The data contract lists every check with the severity the code gives it, so alert rules can trust the page. */
class QualityCheckDocsTest {

    @Test
    void theDataContractListsEveryCheckWithItsSeverity() throws IOException {
        String contract = Files.readString(Path.of("").toAbsolutePath().resolve("../docs/data-contract.md"));

        for (QualityCheck c : QualityCheck.values()) {
            assertThat(contract).as(c.name()).contains("| `" + c.name() + "` | " + c.severity() + " |");
        }
    }
}
