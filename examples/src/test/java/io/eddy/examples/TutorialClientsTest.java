package io.eddy.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.TcpServer;
import io.eddy.udp.UdpEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorial's own Python clients (src/test/resources/tutorial, changed only to take the host
 * and port from the command line) against the servers rebuilt on Eddy. Skipped without python3.
 */
class TutorialClientsTest {

    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dir;

    private EventLoop loop;

    private static Boolean pythonAvailable;

    @BeforeEach
    void startLoop() {
        // Per test, not per class, so that each skipped test is reported with the reason.
        assumeTrue(pythonAvailable(), "python3 is not on the PATH: the tutorial's Python clients cannot run here");
        loop = EventLoop.start("tutorial-clients-test");
    }

    @AfterEach
    void stopLoop() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void tutorialGreetingClientPrintsHello() throws Exception {
        TcpServer<String, String> server = GreetingServer.start(loop, HOST, 0);

        Result result = runPython("greeting_client.py", server.port(), "");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.stdout().contains("服务器返回结果：hello"), result.toString());
    }

    @Test
    void tutorialChatClientChatsWithTheChatServer() throws Exception {
        Output serverOut = new Output();
        ChatServer chat = ChatServer.start(loop, HOST, 0, serverOut.stream());
        try (Socket other = new Socket(HOST, chat.port())) {
            other.setSoTimeout(20_000);
            BufferedReader otherIn = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            await().atMost(20, SECONDS).until(() -> chat.server().connectionCount() == 1);

            Result result = runPython("chat_client.py", chat.port(), "你好\nsecond line\n");

            // The tutorial client saw the server's answer to each message...
            for (String answer : List.of("got: 正在连接主机", "got: 你好", "got: second line")) {
                assertTrue(result.stdout().contains("收到数据 " + answer), result.toString());
            }
            // ...and died at the end of its input, as the tutorial's input() does.
            assertTrue(result.stderr().contains("EOFError"), result.toString());
            // The server printed each message, and relayed it to the other client.
            for (String message : List.of("正在连接主机", "你好", "second line")) {
                assertTrue(serverOut.text().lines().anyMatch(line -> line.endsWith("] " + message)), serverOut.text());
                String relayed = otherIn.readLine();
                assertTrue(relayed != null && relayed.endsWith("] " + message), relayed);
            }
            // The server survived the Python client and serves the others.
            await().atMost(20, SECONDS).until(() -> chat.server().connectionCount() == 1);
            OutputStream otherOut = other.getOutputStream();
            otherOut.write("still here\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("got: still here", otherIn.readLine());
        }
    }

    @Test
    void tutorialUdpClientGetsOverFromTheUdpServer() throws Exception {
        Output serverOut = new Output();
        UdpEndpoint<String, String> server = UdpServer.start(loop, HOST, 0, serverOut.stream());

        Result result = runPython("udp_client.py", server.port(), "");

        assertEquals(0, result.status(), result.toString());
        assertEquals(100, result.stdout().lines().filter("服务器的返回数据over"::equals).count(), result.toString());
        for (int i = 0; i < 100; i++) {
            String printed = "] 发送数据" + i;
            assertTrue(serverOut.text().lines().anyMatch(line -> line.startsWith("[127.0.0.1:") && line.endsWith(printed)),
                    serverOut.text());
        }
    }

    private record Result(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit status " + status + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Result runPython(String script, int port, String stdin) throws Exception {
        Path program = dir.resolve(script);
        try (InputStream source = getClass().getResourceAsStream("/tutorial/" + script)) {
            Files.copy(source, program);
        }
        Path input = Files.writeString(dir.resolve(script + ".stdin"), stdin, StandardCharsets.UTF_8);
        Path stdout = dir.resolve(script + ".stdout");
        Path stderr = dir.resolve(script + ".stderr");
        ProcessBuilder builder = new ProcessBuilder("python3", program.toString(), HOST, String.valueOf(port))
                .redirectInput(input.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        Process python = builder.start();
        if (!python.waitFor(60, SECONDS)) {
            python.destroyForcibly();
            throw new AssertionError(script + " did not finish within 60 s");
        }
        return new Result(python.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static synchronized boolean pythonAvailable() {
        if (pythonAvailable == null) {
            pythonAvailable = probePython();
        }
        return pythonAvailable;
    }

    private static boolean probePython() {
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
