package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's HTTP/1.1 and WebSocket framing, byte by byte over a plain socket. */
class WireProtocolTest {

    private PolygonSimulator sim;

    @BeforeEach
    void start() {
        sim = PolygonSimulator.builder().marketClock(StreamProtocolTest.OPEN, 0)
                .streamFaults(StreamFaultPlan.builder().revisions(0).build()).start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static final String DAY_BARS = "/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05";

    private static String get(String target, String... extraHeaders) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("", extraHeaders) + "\r\n";
    }

    // ---- HTTP/1.1 ---------------------------------------------------------------------------------------------

    @Test
    void keepAliveServesSeveralRequestsOnOneConnectionWithChunkedDataPages() throws IOException {
        try (RawConnection c = new RawConnection(sim.port())) {
            c.write(get(DAY_BARS) + get(DAY_BARS + "?adjusted=false")); // pipelined
            RawConnection.Response first = c.readResponse();
            RawConnection.Response second = c.readResponse();
            c.write(get("/nowhere"));
            RawConnection.Response third = c.readResponse();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers().get("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(new ObjectMapper().readTree(first.body()).get("resultsCount").asInt()).isEqualTo(4);
            assertThat(new ObjectMapper().readTree(second.body()).get("adjusted").asBoolean()).isFalse();
            assertThat(third.status()).isEqualTo(404);
            assertThat(third.headers()).containsKey("Content-Length").containsKey("Date");
        }
        assertThat(sim.requestCount()).isEqualTo(3);
    }

    @Test
    void connectionCloseAndHttp10EndTheConnectionAfterTheAnswer() throws IOException {
        try (RawConnection c = new RawConnection(sim.port())) {
            c.write(get(DAY_BARS, "Connection: close\r\n"));
            RawConnection.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().get("Connection")).isEqualTo("close");
            assertThat(c.endOfStream()).isTrue();
        }
        try (RawConnection c = new RawConnection(sim.port())) {
            c.write("GET " + DAY_BARS + " HTTP/1.0\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            assertThat(c.endOfStream()).isTrue();
        }
    }

    @Test
    void headAndPostAreRefusedWithoutBreakingTheConnectionsFraming() throws IOException {
        try (RawConnection c = new RawConnection(sim.port())) {
            c.write("HEAD " + DAY_BARS + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawConnection.Response head = c.readResponse(true);
            c.write("POST " + DAY_BARS + " HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n{\"a\":\"bc\"}\n");
            RawConnection.Response post = c.readResponse();
            c.write(get(DAY_BARS));
            RawConnection.Response after = c.readResponse();

            assertThat(head.status()).isEqualTo(405);
            assertThat(Integer.parseInt(head.headers().get("Content-Length"))).isPositive();
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.text()).contains("POST");
            assertThat(after.status()).isEqualTo(200);
        }
    }

    @Test
    void malformedRequestsAnswerTheirStatusAndCloseTheConnection() throws IOException {
        String longHeader = "X-Long: " + "a".repeat(20_000) + "\r\n";
        List<String> requests = List.of(
                "NONSENSE\r\n\r\n",
                "GET " + DAY_BARS + " HTTP/2.0\r\n\r\n",
                get(DAY_BARS, longHeader),
                "POST " + DAY_BARS + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        List<Integer> statuses = new ArrayList<>();
        for (String request : requests) {
            try (RawConnection c = new RawConnection(sim.port())) {
                c.write(request);
                statuses.add(c.readResponse().status());
                assertThat(c.endOfStream()).as(request.substring(0, 10)).isTrue();
            }
        }
        assertThat(statuses).containsExactly(400, 505, 431, 501);
    }

    // ---- WebSocket handshake ----------------------------------------------------------------------------------

    @Test
    void handshakeAnswers101WithTheRfc6455AcceptValueThenTheConnectedStatus() throws IOException {
        try (RawConnection c = new RawConnection(sim.port())) {
            RawConnection.Response r = c.upgrade("/stocks");

            assertThat(r.status()).isEqualTo(101);
            assertThat(r.headers().get("Upgrade")).isEqualToIgnoringCase("websocket");
            // RFC 6455 section 1.3's worked example.
            assertThat(r.headers().get("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            RawConnection.Frame greeting = c.readFrame();
            assertThat(greeting.fin()).isTrue();
            assertThat(greeting.opcode()).isEqualTo(1);
            assertThat(greeting.text()).contains("\"status\":\"connected\"");
        }
    }

    @Test
    void badHandshakesAreRefusedWithTheRightStatus() throws IOException {
        String noKey = "GET /stocks HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        String oldVersion = "GET /stocks HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n";
        try (RawConnection c = new RawConnection(sim.port())) {
            c.write(noKey);
            assertThat(c.readResponse().status()).isEqualTo(400);
        }
        try (RawConnection c = new RawConnection(sim.port())) {
            c.write(oldVersion);
            RawConnection.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(426);
            assertThat(r.headers().get("Sec-WebSocket-Version")).isEqualTo("13");
        }
        try (RawConnection c = new RawConnection(sim.port())) {
            assertThat(c.upgrade("/crypto").status()).isEqualTo(404);
        }
        try (RawConnection c = new RawConnection(sim.port())) {
            c.write(get("/stocks"));
            RawConnection.Response plain = c.readResponse();
            assertThat(plain.status()).isEqualTo(426);
            assertThat(new ObjectMapper().readTree(plain.body()).get("status").asText()).isEqualTo("ERROR");
        }
    }

    // ---- WebSocket frames -------------------------------------------------------------------------------------

    private RawConnection openStream() throws IOException {
        RawConnection c = new RawConnection(sim.port());
        assertThat(c.upgrade("/stocks").status()).isEqualTo(101);
        assertThat(c.readFrame().text()).contains("connected");
        return c;
    }

    @Test
    void aClientMessageInSeveralFramesIsReassembledAndAPingBetweenThemIsAnswered() throws IOException {
        try (RawConnection c = openStream()) {
            c.write(RawConnection.text("{\"action\":\"auth\",\"params\":\"k\"}"));
            assertThat(c.readFrame().text()).contains("auth_success");
            byte[] message = "{\"action\":\"subscribe\",\"params\":\"AM.AAPL,AM.MSFT\"}".getBytes(StandardCharsets.UTF_8);

            c.write(RawConnection.frame(0x1, false, java.util.Arrays.copyOfRange(message, 0, 10), true));
            c.write(RawConnection.frame(0x9, true, "mid".getBytes(StandardCharsets.UTF_8), true));
            c.write(RawConnection.frame(0x0, false, java.util.Arrays.copyOfRange(message, 10, 30), true));
            c.write(RawConnection.frame(0x0, true, java.util.Arrays.copyOfRange(message, 30, message.length), true));

            RawConnection.Frame pong = c.readFrame();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.text()).isEqualTo("mid");
            JsonNode acks = new ObjectMapper().readTree(c.readFrame().payload());
            assertThat(acks).hasSize(2);
            assertThat(acks.get(1).get("message").asText()).isEqualTo("subscribed to: AM.MSFT");
        }
    }

    @Test
    void protocolViolationsCloseWithTheMatchingCode() throws IOException {
        byte[] auth = "{\"action\":\"auth\",\"params\":\"k\"}".getBytes(StandardCharsets.UTF_8);
        List<byte[]> violations = List.of(
                RawConnection.frame(0x1, true, auth, false),                        // unmasked
                RawConnection.frame(0x1, true, new byte[] {(byte) 0xC3, 0x28}, true), // not UTF-8
                RawConnection.frame(0x1, true, new byte[WebSocketConnection.MAX_MESSAGE_BYTES + 1], true),
                RawConnection.frame(0x2, true, auth, true),                         // binary
                RawConnection.frame(0x0, true, auth, true));                        // continuation of nothing
        List<Integer> codes = new ArrayList<>();
        for (byte[] frame : violations) {
            try (RawConnection c = openStream()) {
                c.write(frame);
                RawConnection.Frame close = c.readFrame();
                assertThat(close.opcode()).isEqualTo(0x8);
                codes.add(close.closeCode());
                assertThat(c.endOfStream()).isTrue();
            }
        }
        assertThat(codes).containsExactly(1002, 1007, 1009, 1003, 1002);
    }

    @Test
    void fragmentBytesSplitsEachMessageIntoATextFrameAndContinuationFrames() throws IOException {
        try (RawConnection c = openStream()) {
            sim.stream().faults(StreamFaultPlan.builder().revisions(0).fragmentBytes(16).build());
            c.write(RawConnection.text("{\"action\":\"auth\",\"params\":\"k\"}"));
            List<RawConnection.Frame> frames = new ArrayList<>();
            do {
                frames.add(c.readFrame());
            } while (!frames.get(frames.size() - 1).fin());

            assertThat(frames.size()).isGreaterThan(3);
            assertThat(frames.get(0).opcode()).isEqualTo(0x1);
            assertThat(frames.subList(1, frames.size())).allSatisfy(f -> assertThat(f.opcode()).isZero());
            assertThat(frames).allSatisfy(f -> assertThat(f.payload().length).isLessThanOrEqualTo(16));
            StringBuilder text = new StringBuilder();
            frames.forEach(f -> text.append(f.text()));
            assertThat(text.toString())
                    .isEqualTo("[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]");
        }
    }

    @Test
    void dropEndsTheTcpConnectionWithoutACloseFrame() throws IOException, InterruptedException {
        try (RawConnection c = openStream()) {
            c.write(RawConnection.text("{\"action\":\"auth\",\"params\":\"k\"}"));
            assertThat(c.readFrame().text()).contains("auth_success");

            sim.stream().apply(StreamFault.DROP);

            // The next read meets the end of the stream or a reset, never an 0x88 close frame.
            boolean sawCloseFrame = false;
            try {
                sawCloseFrame = c.readFrame().opcode() == 0x8;
            } catch (IOException expected) {
                // reset or end of stream
            }
            assertThat(sawCloseFrame).isFalse();
        }
        assertThat(sim.stream().awaitConnections(0, Duration.ofSeconds(10))).isTrue();
    }
}
