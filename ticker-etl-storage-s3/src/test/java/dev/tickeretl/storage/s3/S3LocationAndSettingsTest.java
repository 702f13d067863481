package dev.tickeretl.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3LocationAndSettingsTest {

    @Test
    void thePrefixLosesEmptySegmentsAndEndsWithOneSlash() {
        S3Location location = S3Location.parse(URI.create("s3://prices//team///daily/"));

        assertThat(location.bucket()).isEqualTo("prices");
        assertThat(location.prefix()).isEqualTo("team/daily/");
        assertThat(location.key("runs/r1.json")).isEqualTo("team/daily/runs/r1.json");
        assertThat(location.uri()).isEqualTo(URI.create("s3://prices/team/daily"));
    }

    @Test
    void aBucketAloneHasAnEmptyPrefix() {
        assertThat(S3Location.parse(URI.create("s3://prices")).prefix()).isEmpty();
        assertThat(S3Location.parse(URI.create("s3://prices/")).uri()).isEqualTo(URI.create("s3://prices"));
    }

    @Test
    void aUriWithCredentialsIsRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> S3Location.parse(URI.create("s3://AKIDEXAMPLE:s3cr3tValue@prices/p")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("store: an s3:// store URI must not carry credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3tValue").doesNotContain("AKID"));
    }

    @Test
    void aUriWithoutBucketOrWithPortIsRefused() {
        assertThatThrownBy(() -> S3Location.parse(URI.create("s3:///prefix")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a bucket");
        assertThatThrownBy(() -> S3Location.parse(URI.create("s3:prices")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a bucket");
        assertThatThrownBy(() -> S3Location.parse(URI.create("s3://prices:9000/p")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(S3StoreProvider.ENDPOINT);
    }

    @Test
    void anEndpointImpliesPathStyleUnlessSaidOtherwise() {
        assertThat(S3Settings.fromOptions(Map.of()).pathStyle()).isFalse();
        assertThat(S3Settings.fromOptions(Map.of(S3StoreProvider.ENDPOINT, "http://127.0.0.1:9000")).pathStyle())
                .isTrue();
        assertThat(S3Settings.fromOptions(Map.of(S3StoreProvider.ENDPOINT, "https://s3.example.com",
                S3StoreProvider.PATH_STYLE, "false")).pathStyle()).isFalse();
        assertThat(S3Settings.fromOptions(Map.of(S3StoreProvider.PATH_STYLE, "TRUE")).pathStyle()).isTrue();
    }

    @Test
    void optionValuesAreCheckedAndNamed() {
        assertThatThrownBy(() -> S3Settings.fromOptions(Map.of(S3StoreProvider.PATH_STYLE, "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s3-path-style: expected true or false, got 'yes'");
        assertThatThrownBy(() -> S3Settings.fromOptions(Map.of(S3StoreProvider.ENDPOINT, "127.0.0.1:9000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("s3-endpoint: expected an http:// or https:// URL");
        assertThatThrownBy(() -> S3Settings.fromOptions(Map.of(S3StoreProvider.ENDPOINT,
                "http://user:pa55word@127.0.0.1:9000")))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa55word"));
    }

    @Test
    void theRegionOptionIsKeptAndBlankMeansTheDefaultChain() {
        assertThat(S3Settings.fromOptions(Map.of(S3StoreProvider.REGION, "eu-central-1")).region())
                .isEqualTo("eu-central-1");
        assertThat(S3Settings.fromOptions(Map.of(S3StoreProvider.REGION, " ")).region()).isNull();
    }

    @Test
    void theProviderAnswersForTheS3Scheme() {
        assertThat(new S3StoreProvider().scheme()).isEqualTo("s3");
    }
}
