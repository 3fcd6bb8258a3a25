package io.eddy.http.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the tests run Node with its {@code ws} library: Debian's {@code node-ws} puts it in
 * /usr/share/nodejs, which is on Node's module path only when {@code NODE_PATH} says so.
 * Threading: any thread.
 */
final class NodePeer {

    static final String MISSING = "node or its ws library (node-ws) is not installed: the Node WebSocket tests cannot run here";
    private static final String MODULES = "/usr/share/nodejs";
    private static volatile Boolean available;

    private NodePeer() {
    }

    /** Whether node runs and finds ws. */
    static boolean available() {
        if (available == null) {
            available = probe();
        }
        return available;
    }

    /** {@code node script args...}, with the module path set through env(1). */
    static List<String> command(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "NODE_PATH=" + MODULES, "node", script));
        command.addAll(List.of(args));
        return command;
    }

    private static boolean probe() {
        try {
            Process node = new ProcessBuilder("env", "NODE_PATH=" + MODULES, "node", "-e", "require('ws')")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean ok = node.waitFor(60, TimeUnit.SECONDS) && node.exitValue() == 0;
            node.destroyForcibly();
            return ok;
        } catch (IOException notInstalled) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
