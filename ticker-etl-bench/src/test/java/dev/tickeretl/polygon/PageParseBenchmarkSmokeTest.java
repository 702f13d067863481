package dev.tickeretl.polygon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The parse benchmark reads real simulator pages with the Polygon source's own parser. */
class PageParseBenchmarkSmokeTest {

    @Test
    void parsesAFiveThousandBarPageAndTheWantedPartOfAGroupedPage() throws Exception {
        PageParseBenchmark b = new PageParseBenchmark();
        b.fetchPages();

        PageParser.Page page = b.parseAggregatesPage();
        PageParser.Page grouped = b.parseGroupedPage();

        assertThat(page.bars()).hasSize(PageParseBenchmark.PAGE_BARS);
        assertThat(page.bars()).allSatisfy(bar -> assertThat(bar.ticker()).isEqualTo("AAPL"));
        assertThat(page.nextUrl()).isNotNull(); // 2000..2024 holds more than one page of 5,000
        assertThat(grouped.bars()).hasSize(PageParseBenchmark.GROUPED_WANTED);
    }
}
