package io.eddy.http.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket echo server written with another library (Python's websockets, Node's ws), run as a
 * separate process on a free port for the client's tests: the script prints its port, and ends
 * when its standard input does (closing this ends it, and kills it if it does not).
 *
 * <p>Threading: one test thread.
 */
public final class PeerServer implements AutoCloseable {

    /** Where Debian's node-ws lives: Node looks there only when NODE_PATH says so. */
    static final String NODE_MODULES = "/usr/share/nodejs";

    private final Process process;
    private final int port;

    private PeerServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether {@code command} runs and exits 0 within a minute. */
    public static boolean runs(String... command) {
        try {
            Process probe = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean ok = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
            probe.destroyForcibly();
            return ok;
        } catch (IOException notInstalled) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code node script args...}, with Node's module path set to where Debian keeps ws. */
    public static List<String> nodeCommand(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "NODE_PATH=" + NODE_MODULES, "node", script));
        command.addAll(List.of(args));
        return command;
    }

    /** Whether Python's websockets library is there for Debian's own python3. */
    public static boolean pythonAvailable() {
        return runs("/usr/bin/python3", "-c", "import websockets");
    }

    /** Whether node runs and finds ws. */
    public static boolean nodeAvailable() {
        return runs("env", "NODE_PATH=" + NODE_MODULES, "node", "-e", "require('ws')");
    }

    static PeerServer python(Path dir) throws IOException {
        return start(dir, List.of("/usr/bin/python3"), "ws_peer.py");
    }

    static PeerServer node(Path dir) throws IOException {
        return start(dir, List.of("env", "NODE_PATH=" + NODE_MODULES, "node"), "ws_peer.js");
    }

    private static PeerServer start(Path dir, List<String> interpreter, String scriptName) throws IOException {
        Path script = dir.resolve(scriptName);
        try (InputStream source = PeerServer.class.getResourceAsStream("/" + scriptName)) {
            Files.copy(source, script);
        }
        List<String> command = new ArrayList<>(interpreter);
        command.add(script.toString());
        command.add("server");
        Process process = new ProcessBuilder(command).redirectError(dir.resolve(scriptName + ".log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            process.destroyForcibly();
            throw new IOException(scriptName + " ended before it printed its port: "
                    + Files.readString(dir.resolve(scriptName + ".log")));
        }
        return new PeerServer(process, Integer.parseInt(line.trim()));
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
