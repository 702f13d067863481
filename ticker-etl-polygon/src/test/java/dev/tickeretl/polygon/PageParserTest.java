package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.tickeretl.Timespan;
import dev.tickeretl.spi.RawBar;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageParserTest {

    private static final PageParser.Target AAPL = PageParser.Target.ticker("AAPL", Timespan.DAY, true);

    private static PageParser.Page parse(String json, PageParser.Target target) throws Exception {
        return PageParser.parse(json.getBytes(StandardCharsets.UTF_8), target);
    }

    @Test
    void readsTheOpenApiExampleExactly() throws Exception {
        String example = "{\"adjusted\":true,\"next_url\":\"https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/"
                + "1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw\",\"queryCount\":2,\"request_id\":"
                + "\"6a7e466379af0a71039d60cc78e72282\",\"results\":[{\"c\":75.0875,\"h\":75.15,\"l\":73.7975,"
                + "\"n\":1,\"o\":74.06,\"t\":1577941200000,\"v\":135647456,\"vw\":74.6099},{\"c\":74.3575,"
                + "\"h\":75.145,\"l\":74.125,\"n\":1,\"o\":74.2875,\"t\":1578027600000,\"v\":146535512,"
                + "\"vw\":74.7026}],\"resultsCount\":2,\"status\":\"OK\",\"ticker\":\"AAPL\"}";

        PageParser.Page page = parse(example, AAPL);

        assertThat(page.status()).isEqualTo("OK");
        assertThat(page.resultsCount()).isEqualTo(2);
        assertThat(page.nextUrl()).endsWith("?cursor=bGltaXQ9MiZzb3J0PWFzYw");
        assertThat(page.bars()).containsExactly(
                new RawBar("AAPL", Timespan.DAY, 1577941200000L, 74.06, 75.15, 73.7975, 75.0875, 135647456, 74.6099,
                        1L, true),
                new RawBar("AAPL", Timespan.DAY, 1578027600000L, 74.2875, 75.145, 74.125, 74.3575, 146535512,
                        74.7026, 1L, true));
        assertThat(page.invalid()).isEmpty();
    }

    @Test
    void groupedResultsKeepOnlyWantedTickersAndTakeTheirSymbolFromT() throws Exception {
        String example = "{\"adjusted\":true,\"queryCount\":3,\"results\":[{\"T\":\"KIMpL\",\"c\":25.9102,"
                + "\"h\":26.25,\"l\":25.91,\"n\":74,\"o\":26.07,\"t\":1602705600000,\"v\":4369,\"vw\":26.0407},"
                + "{\"T\":\"TANH\",\"c\":23.4,\"h\":24.763,\"l\":22.65,\"n\":1096,\"o\":24.5,\"t\":1602705600000,"
                + "\"v\":25933.6,\"vw\":23.493},{\"c\":1,\"h\":1,\"l\":1,\"o\":1,\"t\":1602705600000,\"v\":1},"
                + "{\"T\":\"VSAT\",\"c\":34.24,\"h\":35.47,\"l\":34.21,\"n\":4966,\"o\":34.9,\"t\":1602705600000,"
                + "\"v\":312583,\"vw\":34.4736}],\"resultsCount\":3,\"status\":\"OK\"}";

        PageParser.Page page = parse(example, PageParser.Target.grouped(Set.of("TANH", "VSAT"), false));

        assertThat(page.bars()).extracting(RawBar::ticker).containsExactly("TANH", "VSAT");
        assertThat(page.bars().get(0).volume()).isEqualTo(25933.6);
        assertThat(page.bars()).allMatch(b -> !b.adjusted());
    }

    @Test
    void nullAndNonNumericRequiredFieldsMakeABarInvalid() throws Exception {
        PageParser.Page page = parse("{\"status\":\"OK\",\"resultsCount\":2,\"results\":["
                + "{\"o\":1,\"h\":1,\"l\":1,\"c\":null,\"v\":1,\"t\":1},"
                + "{\"o\":\"1\",\"h\":1,\"l\":1,\"c\":1,\"v\":1}, 7]}", AAPL);

        assertThat(page.bars()).isEmpty();
        assertThat(page.invalid()).extracting(i -> i.reason()).containsExactly(
                "bar at t=1 lacks required field(s) c (or they are not numbers)",
                "result #2 lacks required field(s) o, t (or they are not numbers)",
                "result #3 is not an object");
    }

    @Test
    void unknownFieldsAndNestedValuesAreSkipped() throws Exception {
        PageParser.Page page = parse("{\"status\":\"OK\",\"extra\":{\"a\":[1,2,{\"b\":3}]},\"results\":"
                + "[{\"o\":1,\"h\":2,\"l\":0.5,\"c\":1.5,\"v\":10,\"t\":5,\"otc\":true,\"x\":[1]}]}", AAPL);

        assertThat(page.bars()).singleElement().extracting(RawBar::close).isEqualTo(1.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"status\":\"OK\",\"results\":[{\"o\":1,", "{\"status\":\"OK\",\"results\":[{\"o\":1}",
            "{\"status\":\"O", "{\"status\":\"OK\"", "{\"status\":\"OK\",\"resultsCount\":1"})
    void truncatedJsonIsAnEndOfInputError(String truncated) {
        assertThatThrownBy(() -> parse(truncated, AAPL))
                .isInstanceOf(JsonProcessingException.class)
                .satisfies(e -> assertThat(e instanceof JsonEOFException
                        || ((JsonProcessingException) e).getOriginalMessage().contains("end-of-input")).isTrue());
    }

    @Test
    void malformedJsonIsAParseError() {
        assertThatThrownBy(() -> parse("{\"status\": OK}", AAPL)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void aBodyThatIsNotAnAggregatesObjectIsMalformed() {
        assertThatThrownBy(() -> parse("[]", AAPL)).isInstanceOf(PageParser.MalformedPage.class);
        assertThatThrownBy(() -> parse("{\"status\":\"OK\",\"results\":5}", AAPL))
                .isInstanceOf(PageParser.MalformedPage.class);
        assertThatThrownBy(() -> parse("{\"status\":\"OK\"} {}", AAPL)).isInstanceOf(PageParser.MalformedPage.class);
    }
}
