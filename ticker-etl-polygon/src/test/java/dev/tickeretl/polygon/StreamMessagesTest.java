package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickeretl.spi.RawBar;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the stream reads off the wire, and the subscriptions it sends. */
class StreamMessagesTest {

    @Test
    void everyEventOfABatchedMessageIsReadNotJustTheFirst() {
        String message = "[{\"ev\":\"AM\",\"sym\":\"AAPL\",\"v\":4110,\"av\":9470157,\"op\":0.4372,\"vw\":0.4488,"
                + "\"o\":0.4488,\"c\":0.4486,\"h\":0.4489,\"l\":0.4486,\"a\":0.4352,\"z\":685,\"s\":1610144640000,"
                + "\"e\":1610144700000},{\"ev\":\"AM\",\"sym\":\"MSFT\",\"v\":1,\"o\":2,\"c\":2,\"h\":2,\"l\":2,"
                + "\"s\":1610144640000,\"e\":1610144700000},{\"ev\":\"status\",\"status\":\"success\","
                + "\"message\":\"subscribed to: AM.NVDA\"}]";

        StreamMessages.Frame frame = StreamMessages.parse(message);

        assertThat(frame.bars()).extracting(RawBar::ticker).containsExactly("AAPL", "MSFT");
        RawBar aapl = frame.bars().get(0);
        assertThat(aapl.startMs()).isEqualTo(1610144640000L);
        assertThat(aapl.volume()).isEqualTo(4110.0);
        assertThat(aapl.vwap()).isEqualTo(0.4488);
        assertThat(aapl.adjusted()).isFalse();
        assertThat(aapl.transactions()).as("the feed has no trade count").isNull();
        assertThat(frame.statuses()).containsExactly(new StreamMessages.Status("success",
                "subscribed to: AM.NVDA"));
        assertThat(frame.invalid()).isEmpty();
    }

    @Test
    void fieldsAreReadLenientlyFractionalVolumesStringVolumesAndUnknownKeys() {
        String message = "[{\"ev\":\"AM\",\"sym\":\"BRK.A\",\"v\":12.5,\"dv\":\"12.625\",\"o\":700000.0,"
                + "\"c\":700001,\"h\":700002,\"l\":699999.5,\"s\":1610144640000,\"new_field\":{\"x\":[1,2]},"
                + "\"otc\":false}]";

        RawBar bar = StreamMessages.parse(message).bars().get(0);

        assertThat(bar.volume()).as("the string volume wins").isEqualTo(12.625);
        assertThat(bar.close()).isEqualTo(700001.0);
        assertThat(bar.vwap()).isNull();
    }

    @Test
    void aBrokenMessageOrEventIsReportedNotThrown() {
        assertThat(StreamMessages.parse("[{\"ev\":\"AM\",\"sym\":\"AAPL\"").invalid()).singleElement()
                .asString().contains("not valid JSON");
        assertThat(StreamMessages.parse("{\"hello\":1}").bars()).isEmpty();
        assertThat(StreamMessages.parse("[{\"ev\":\"AM\",\"sym\":\"AAPL\",\"o\":1,\"h\":1,\"l\":1,\"c\":1}]")
                .invalid()).singleElement().asString().contains("s, v");
        assertThat(StreamMessages.parse("\"text\"").invalid()).singleElement().asString()
                .contains("not a JSON array");
    }

    @Test
    void subscriptionsForThousandsOfTickersAreSplitUnderTheMessageLimitAndNameEachOnce() throws Exception {
        List<String> tickers = IntStream.range(0, 60_000).mapToObj(i -> "T" + Integer.toString(i, 36).toUpperCase())
                .toList();

        List<String> messages = StreamRun.subscribeMessages(tickers, 256 * 1024);

        assertThat(messages).hasSizeGreaterThan(1).allSatisfy(m -> assertThat(m.length()).isLessThanOrEqualTo(256 * 1024));
        List<String> named = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String m : messages) {
            JsonNode node = json.readTree(m);
            assertThat(node.get("action").asText()).isEqualTo("subscribe");
            named.addAll(List.of(node.get("params").asText().split(",")));
        }
        assertThat(named).containsExactlyElementsOf(tickers.stream().map(t -> "AM." + t).toList());
    }

    @Test
    void theAuthMessageCarriesTheKeyJsonEscaped() throws Exception {
        JsonNode auth = new ObjectMapper().readTree(new ApiKey("ab\"c\\d").authMessage());

        assertThat(auth.get("action").asText()).isEqualTo("auth");
        assertThat(auth.get("params").asText()).isEqualTo("ab\"c\\d");
    }
}
