package io.eddy.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one example's command line: {@code --name value} pairs, each name one the example
 * accepts, and perhaps one bare argument standing for an option (the URL of {@code http-client
 * URL}). Immutable once parsed.
 */
final class Arguments {

    /** The address servers bind and clients connect to when {@code --host} is not given. */
    static final String DEFAULT_HOST = "127.0.0.1";

    private final Map<String, String> values;

    private Arguments(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code args}, which must be {@code --name value} pairs with names from {@code accepted}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static Arguments parse(List<String> args, Set<String> accepted) {
        return parse(args, accepted, null);
    }

    /**
     * Parses {@code args} as {@link #parse(List, Set)} does, but one argument not starting with
     * {@code --}, anywhere, is the value of option {@code bare} (null: none is taken).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static Arguments parse(List<String> args, Set<String> accepted, String bare) {
        Map<String, String> values = new HashMap<>();
        int i = 0;
        while (i < args.size()) {
            String name = args.get(i);
            if (bare != null && !name.startsWith("--")) {
                if (values.containsKey(bare)) {
                    throw new IllegalArgumentException("'" + values.get(bare) + "' and '" + name + "' both give the "
                            + bare + "; give one");
                }
                values.put(bare, name);
                i++;
                continue;
            }
            if (!name.startsWith("--") || !accepted.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
            if (i + 1 == args.size()) {
                throw new IllegalArgumentException("option '" + name + "' needs a value");
            }
            if (name.substring(2).equals(bare) && values.containsKey(bare)) {
                throw new IllegalArgumentException("'" + values.get(bare) + "' and " + name + " '" + args.get(i + 1)
                        + "' both give the " + bare + "; give one");
            }
            values.put(name.substring(2), args.get(i + 1));
            i += 2;
        }
        return new Arguments(values);
    }

    /** The option {@code name}, or {@code otherwise}. */
    String value(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** {@code --host}, or 127.0.0.1. */
    String host() {
        return values.getOrDefault("host", DEFAULT_HOST);
    }

    /** The port option {@code name} (0 means any free port), or {@code otherwise}. */
    int port(String name, int otherwise) {
        String value = values.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the option's name
        }
        throw new IllegalArgumentException("--" + name + " must be a port number from 0 to 65535, not '" + value + "'");
    }

    /** The directory option {@code name}, if given; it must exist. */
    Optional<Path> path(String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("--" + name + " must be a directory: '" + value + "' is not");
        }
        return Optional.of(path);
    }

    /**
     * The duration option {@code name} ({@code 2s}, {@code 500ms}, or milliseconds alone), or
     * {@code otherwise}.
     */
    Duration duration(String name, Duration otherwise) {
        String value = values.get(name);
        if (value == null) {
            return otherwise;
        }
        String digits = value.endsWith("ms") ? value.substring(0, value.length() - 2)
                : value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
        if (!digits.isEmpty() && digits.length() < 10 && digits.chars().allMatch(Character::isDigit)) {
            long amount = Long.parseLong(digits);
            return value.endsWith("ms") || !value.endsWith("s") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        }
        throw new IllegalArgumentException("--" + name + " must be a duration such as 2s or 500ms, not '" + value + "'");
    }

    /** The file option {@code name}, if given; it must be a readable file. */
    Optional<Path> file(String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("--" + name + " must be a file that can be read: '" + value + "' is not");
        }
        return Optional.of(path);
    }

    /** Whether option {@code name} was given. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** {@code --port}, or {@code otherwise}. */
    int port(int otherwise) {
        return port("port", otherwise);
    }

    /** {@code --loops}: how many event loops serve (1, the tutorial's one thread, by default). */
    int loops() {
        String value = values.get("loops");
        if (value == null) {
            return 1;
        }
        try {
            int loops = Integer.parseInt(value);
            if (loops >= 1) {
                return loops;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new IllegalArgumentException("--loops must be a whole number of at least 1: '" + value + "'");
    }
}
