package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.LoopStats;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Series;
import io.eddy.http.BodyWriter;
import io.eddy.http.server.HttpRequest;
import io.eddy.http.server.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * hello-http's live status: {@code /status} is a page that draws, every second, each loop's busy
 * ratio and open connections and the server's requests per second, as charts; its script listens
 * to {@code /status/events}, a stream of server-sent events, one a second, each a JSON sample
 * read from the loops' figures and the metrics registry (so a person sees the loop work while
 * they load it).
 *
 * <p>A stream ends when its client goes, or within a second of its loop starting to close, so
 * an open page never holds a shutdown to its deadline.
 *
 * <p>Threading: the handlers run on the loop of their connection; each stream ticks on that loop.
 */
final class StatusPage {

    /** How often a sample is sent. */
    static final Duration PERIOD = Duration.ofSeconds(1);
    private static final String REQUESTS = "eddy_http_server_requests_total";

    private final List<EventLoop> loops;
    private final MetricRegistry metrics;

    StatusPage(List<EventLoop> loops, MetricRegistry metrics) {
        this.loops = List.copyOf(loops);
        this.metrics = metrics;
    }

    /** {@code GET /status}: the page, script and style inline (it does not depend on the static files). */
    HttpResponse page(HttpRequest request) {
        return HttpResponse.html(PAGE);
    }

    /** {@code GET /status/events}: a sample now, then one a second until the client goes. */
    HttpResponse events(HttpRequest request) {
        return HttpResponse.stream("text/event-stream; charset=utf-8", writer -> new Stream(writer).tick())
                .header("Cache-Control", "no-store");
    }

    /** One client's stream: its own last count, so each rate is over its own second. */
    private final class Stream {
        private final BodyWriter writer;
        private final EventLoop loop = EventLoop.current();
        private double lastRequests = Double.NaN;
        private long lastNanos;

        Stream(BodyWriter writer) {
            this.writer = writer;
        }

        void tick() {
            if (!writer.isOpen()) {
                return; // the client went: the stream stops by itself
            }
            if (!loop.isRunning()) {
                writer.end(); // a closing server waits for no open page
                return;
            }
            // A client that does not read misses samples rather than queueing them.
            if (writer.isWritable()) {
                writer.write("data: " + sample() + "\n\n");
            }
            loop.schedule(PERIOD, this::tick);
        }

        private String sample() {
            long now = loop.nanoTime();
            double requests = requests();
            double rate = Double.isNaN(lastRequests) ? 0 : (requests - lastRequests) * 1e9 / Math.max(1, now - lastNanos);
            lastRequests = requests;
            lastNanos = now;
            StringBuilder json = new StringBuilder(128).append("{\"requestsPerSecond\":")
                    .append(String.format(Locale.ROOT, "%.1f", rate)).append(",\"requests\":")
                    .append((long) requests).append(",\"loops\":[");
            for (int i = 0; i < loops.size(); i++) {
                LoopStats stats = loops.get(i).stats();
                json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(jsonEscaped(stats.name()))
                        .append("\",\"busy\":").append(String.format(Locale.ROOT, "%.4f", stats.busyRatio()))
                        .append(",\"connections\":").append(stats.openConnections())
                        .append(",\"pendingTasks\":").append(stats.pendingTasks())
                        .append(",\"wakeups\":").append(stats.wakeups()).append('}');
            }
            return json.append("]}").toString();
        }
    }

    private static String jsonEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Every request the registry's HTTP servers have answered, all routes and statuses. */
    private double requests() {
        double sum = 0;
        for (MetricFamily family : metrics.collect()) {
            if (family.prometheusName().equals(REQUESTS)) {
                for (Series series : family.series()) {
                    sum += series.value().getAsDouble();
                }
            }
        }
        return sum;
    }

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Eddy status</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; color: #1d2733; }
            h1 { color: #0b6e99; font-size: 1.5rem; }
            .charts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1rem; }
            figure { margin: 0; }
            figcaption { font-weight: bold; margin-bottom: .3rem; }
            canvas { width: 100%; height: 160px; border: 1px solid #cdd7e1; border-radius: 4px; background: #fbfdff; }
            table { border-collapse: collapse; margin-top: 1rem; }
            td, th { padding: .2rem .8rem; text-align: right; border-bottom: 1px solid #e3e9ef; }
            th:first-child, td:first-child { text-align: left; }
            #state { color: #6b7a89; }
            </style>
            </head>
            <body>
            <h1>Eddy, live</h1>
            <p id="state">Connecting to <code>/status/events</code>...</p>
            <div class="charts">
            <figure><figcaption>Busy, % of each loop</figcaption><canvas id="busy" width="300" height="160"></canvas></figure>
            <figure><figcaption>Open connections, per loop</figcaption><canvas id="connections" width="300" height="160"></canvas></figure>
            <figure><figcaption>Requests per second</figcaption><canvas id="rate" width="300" height="160"></canvas></figure>
            </div>
            <table>
            <thead><tr><th>loop</th><th>busy %</th><th>connections</th><th>pending tasks</th><th>wake-ups</th></tr></thead>
            <tbody id="loops"></tbody>
            <tfoot><tr><td>requests per second</td><td id="requestsPerSecond" colspan="4">0</td></tr>
            <tr><td>requests answered</td><td id="requests" colspan="4">0</td></tr></tfoot>
            </table>
            <script>
            const KEEP = 60;
            const COLORS = ['#0b6e99', '#d9622b', '#2a7d2a', '#8e44ad', '#b7950b', '#c0392b', '#16a085', '#7f8c8d'];
            const history = { busy: {}, connections: {}, rate: { server: [] } };
            let samples = 0;

            function push(series, name, value) {
              const points = series[name] || (series[name] = []);
              points.push(value);
              if (points.length > KEEP) points.shift();
            }

            function draw(id, series, unit) {
              const canvas = document.getElementById(id);
              const g = canvas.getContext('2d');
              const w = canvas.width, h = canvas.height, pad = 18;
              g.clearRect(0, 0, w, h);
              let max = 1;
              for (const name in series) for (const v of series[name]) max = Math.max(max, v);
              max = Math.ceil(max * 1.1);
              g.strokeStyle = '#e3e9ef'; g.fillStyle = '#6b7a89'; g.font = '11px sans-serif';
              for (let i = 0; i <= 4; i++) {
                const y = pad + (h - 2 * pad) * i / 4;
                g.beginPath(); g.moveTo(pad, y); g.lineTo(w - 4, y); g.stroke();
              }
              g.fillText(max + unit, pad + 2, pad - 5);
              // The time axis spans the samples so far (at least 10 s, at most a minute), newest at the right.
              const span = Math.min(KEEP, Math.max(10, samples));
              let color = 0;
              for (const name in series) {
                const points = series[name];
                g.strokeStyle = COLORS[color++ % COLORS.length]; g.lineWidth = 2;
                g.beginPath();
                points.forEach((v, i) => {
                  const x = pad + (w - pad - 4) * (span - points.length + i) / (span - 1);
                  const y = h - pad - (h - 2 * pad) * v / max;
                  if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
                });
                g.stroke();
              }
            }

            function show(sample) {
              samples++;
              const body = document.getElementById('loops');
              body.replaceChildren();
              for (const loop of sample.loops) {
                push(history.busy, loop.name, loop.busy * 100);
                push(history.connections, loop.name, loop.connections);
                const row = body.insertRow();
                for (const cell of [loop.name, (loop.busy * 100).toFixed(1), loop.connections, loop.pendingTasks, loop.wakeups]) {
                  row.insertCell().textContent = cell;
                }
              }
              push(history.rate, 'server', sample.requestsPerSecond);
              document.getElementById('requestsPerSecond').textContent = sample.requestsPerSecond.toFixed(1);
              document.getElementById('requests').textContent = sample.requests;
              document.getElementById('state').textContent = samples + ' samples, one a second, from /status/events';
              draw('busy', history.busy, '%');
              draw('connections', history.connections, '');
              draw('rate', history.rate, '/s');
            }

            const events = new EventSource('/status/events');
            events.onmessage = message => show(JSON.parse(message.data));
            events.onerror = () => { document.getElementById('state').textContent = 'Disconnected; retrying...'; };
            </script>
            </body>
            </html>
            """;
}
