package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.loop.WorkRejectedException;
import io.eddy.core.net.Connection;
import io.eddy.core.net.WriteListener;
import io.eddy.core.tls.TlsSession;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import io.eddy.http.StreamedBody;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.codec.ResponsePart;
import io.eddy.http.internal.BodyBuffer;
import io.eddy.http.internal.jfr.HttpEvents;
import io.eddy.http.websocket.CloseCodes;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketUpgrade;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of one HTTP connection: runs each request's handler, writes the responses
 * strictly in request order (whatever order handlers answer in), keeps the connection alive or
 * closes it, and enforces the head and idle timeouts.
 *
 * <p>Reading pauses while the connection is not writable, while {@code maxPipelinedRequests}
 * requests await their responses, and for good once the last request of the connection is read.
 * A connection that ends (a {@code Connection: close} exchange, an error) closes once its last
 * response has been written, not when it was queued, so a large last response is not cut short.
 *
 * <p>Threading: loop thread only; answers from other threads come in through {@code loop.execute}.
 */
final class Http1Connection {

    private static final String HTTP = "http";

    private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);

    private static final int PAUSED_NOT_WRITABLE = 1;
    private static final int PAUSED_PIPELINE_FULL = 2;
    private static final int PAUSED_CLOSING = 4;
    private static final int PAUSED_BY_RECEIVER = 8;
    /** An upgrade was accepted: what follows its request is the next protocol's, never read as HTTP. */
    private static final int PAUSED_UPGRADING = 16;

    private final ServerConfig config;
    private final Connection<ResponsePart> connection;
    private final EventLoop loop;
    /** What TLS agreed for the connection (known before it opens, and fixed), or null over plaintext. */
    private final TlsSession tls;
    /** The connection's own scheme: https over TLS. */
    private final String scheme;
    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>(1);   // room for one: pipelining is rare, and it grows
    /** The exchange whose body is being read (or dropped), or null. */
    private Exchange receiving;
    private int pausedBy;
    /** A response that ends the connection has been written: nothing more is. */
    private boolean lastWritten;
    /**
     * Close once every exchange is answered: the client closed its output, or the server is
     * closing. The last response says {@code Connection: close}.
     */
    private boolean closeWhenDone;
    /** When the head now being read began to arrive, or -1 if none is partly read. */
    private long headStartedNanos = -1;
    /**
     * Counts requests, body pieces and responses completed. The timer compares it (and the bytes
     * waiting to be written) with what it saw last time, so the hot path never reads the clock:
     * an idle connection is closed between one and two idle timeouts after its last activity.
     */
    private long activity;
    private long activitySeen;
    private long pendingSeen;
    /** When the timer last found no activity since its previous look (or the connection opened). */
    private long quietSinceNanos;
    private ScheduledTask timer;
    private long timerDeadline;
    private ResponseBodyFraming streaming;
    /** The WebSocket this connection became, or null. */
    private WebSocket upgraded;
    /** Closes the connection once the write it listens to has left (its last response). */
    private final WriteListener closeWhenWritten;
    /** Counts each finished exchange by route and status class, or null when the server keeps no metrics. */
    private final RouteMetrics.Recorder metrics;

    Http1Connection(ServerConfig config, Connection<ResponsePart> connection, RouteMetrics.Recorder metrics) {
        this.config = config;
        this.metrics = metrics;
        this.connection = connection;
        this.loop = connection.loop();
        this.tls = connection.tls().orElse(null);
        this.scheme = connection.tls().isPresent() ? "https" : HTTP;
        this.closeWhenWritten = failure -> connection.close();
        this.quietSinceNanos = loop.nanoTime();
        armTimer(quietSinceNanos + config.limits().idleTimeout().toNanos());
    }

    // ---- reading ----

    void onPart(RequestPart part) {
        if (part instanceof RequestPart.Head head) {
            onHead(head);
        } else if (part instanceof RequestPart.Body body) {
            onBody(body.data());
        } else if (part instanceof RequestPart.End end) {
            onEnd(end.trailers());
        } else if (part instanceof RequestPart.Invalid invalid) {
            onInvalid(invalid.error());
        } else {
            headStartedNanos = loop.nanoTime();
            long deadline = headStartedNanos + config.limits().headTimeout().toNanos();
            if (timer == null || deadline < timerDeadline) {
                armTimer(deadline);
            }
        }
    }

    private void onHead(RequestPart.Head head) {
        headStartedNanos = -1;
        activity++;
        InetSocketAddress peer = (InetSocketAddress) connection.remoteAddress();
        HttpRequest request = new HttpRequest(head, peer, tls);
        Forwarding forwarding = config.forwarding();
        if (forwarding != null) {
            request.origin(forwarding.resolve(peer, scheme, request.authority(), head.headers()));
        } else if (scheme != HTTP) {
            request.origin(new Origin(peer, scheme, null));
        }
        Exchange exchange = new Exchange(request, head, startTime());
        exchanges.add(exchange);
        exchange.closeAfter = !head.keepAlive();
        if (head.hasBody()) {
            exchange.state = Exchange.State.RECEIVING;
            receiving = exchange;
        } else {
            exchange.state = Exchange.State.HANDLING;
            requestRead(exchange);
        }
        Router.Match match = config.router().match(request);
        if (match.route() == null) {
            HttpResponse error = errorResponse(new HttpError(match.status(), routingMessage(match.status(), request), null, request));
            if (match.allow() != null) {
                error.headers().set(HeaderNames.ALLOW, match.allow());
            }
            complete(exchange, error);
            return;
        }
        request.pathParams(match.params());
        exchange.route = match.route();
        if (exchange.route.websocket() != null) {
            answerUpgrade(exchange, head.hasBody());
            return;
        }
        boolean streams = exchange.route.streaming() != null;
        if (!head.hasBody()) {
            if (streams) {
                startStreamingBody(exchange);
                if (exchange.receiver != null) {
                    startFlow(exchange);
                }
                if (exchange.receiver != null) {
                    endStreamingBody(exchange, new HttpHeaders(0));
                }
            } else {
                handle(exchange);
            }
            return;
        }
        long maxBody = config.maxGatheredBody();
        if (!streams && head.bodyLength() > maxBody) {
            complete(exchange, errorResponse(new HttpError(HttpStatus.CONTENT_TOO_LARGE,
                    "body of " + head.bodyLength() + " bytes exceeds the limit maxBodySize = " + maxBody, null, request)));
            return;
        }
        if (streams) {
            startStreamingBody(exchange);
            if (exchange.receiver == null) {
                return; // the handler failed and was answered
            }
            startFlow(exchange);
            if (exchange.receiver == null) {
                return; // onStart failed and was answered
            }
        } else {
            exchange.body = new BodyBuffer(head.bodyLength());
        }
        if (head.expectContinue()) {
            exchange.continueOwed = true;
            if (exchanges.peekFirst() == exchange) {
                sendContinue(exchange);
            }
        }
    }

    /**
     * A WebSocket handshake: refused with its status, or accepted, in which case nothing more is
     * read as HTTP and the connection switches once the {@code 101} is written, in its turn.
     */
    private void answerUpgrade(Exchange exchange, boolean hasBody) {
        WebSocketAccept.Outcome outcome;
        try {
            outcome = WebSocketAccept.answer(exchange.request, hasBody, exchange.route.websocket());
        } catch (Exception e) {
            fail(exchange, e);
            return;
        }
        if (outcome.accepted()) {
            exchange.upgrade = outcome;
            pause(PAUSED_UPGRADING);
        }
        complete(exchange, outcome.response());
    }

    /**
     * The {@code 101} of {@code exchange} is written: the connection becomes a WebSocket. This
     * object's timer stops, and the server keeps counting the connection as open until it closes,
     * so that its shutdown closes the socket too (with 1001).
     */
    private void switchProtocol(Exchange exchange) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        WebSocketAccept.Outcome outcome = exchange.upgrade;
        WebSocketRoute route = outcome.route();
        upgraded = WebSocketUpgrade.switchTo(connection, false, outcome.handler(), route.options(), outcome.deflate(),
                outcome.subprotocol(), exchange.request.target());
        if (closeWhenDone) {
            upgraded.close(CloseCodes.GOING_AWAY, "server is closing");
        }
    }

    /** The whole of {@code exchange}'s request is read: pause if it was the last, or too many wait. */
    private void requestRead(Exchange exchange) {
        if (exchange.closeAfter) {
            pause(PAUSED_CLOSING);
        } else if (exchanges.size() >= config.limits().maxPipelinedRequests()) {
            pause(PAUSED_PIPELINE_FULL);
        }
    }

    private static String routingMessage(int status, HttpRequest request) {
        switch (status) {
            case HttpStatus.NOT_FOUND: return "no route for " + request.path();
            case HttpStatus.METHOD_NOT_ALLOWED: return request.method() + " is not allowed for " + request.path();
            default: return "method " + request.method() + " is not implemented";
        }
    }

    private void onBody(ByteBuffer data) {
        activity++;
        Exchange exchange = receiving;
        if (exchange == null || exchange.discardBody) {
            return;
        }
        if (exchange.receiver != null) {
            try {
                exchange.receiver.onData(data);
            } catch (Exception e) {
                abortReceiver(exchange, e);
                fail(exchange, e);
            }
            return;
        }
        long maxBody = config.maxGatheredBody();
        if ((long) exchange.body.size() + data.remaining() > maxBody) {
            complete(exchange, errorResponse(new HttpError(HttpStatus.CONTENT_TOO_LARGE,
                    "body exceeds the limit maxBodySize = " + maxBody, null, exchange.request)));
            return;
        }
        exchange.body.append(data);
    }

    private void onEnd(HttpHeaders trailers) {
        activity++;
        Exchange exchange = receiving;
        receiving = null;
        if (exchange == null) {
            return;
        }
        resume(PAUSED_BY_RECEIVER);
        requestRead(exchange);
        if (exchange.discardBody) {
            return;
        }
        exchange.continueOwed = false;
        exchange.state = Exchange.State.HANDLING;
        if (exchange.receiver != null) {
            endStreamingBody(exchange, trailers);
        } else {
            exchange.request.body(exchange.body.toArray());
            exchange.body = null;
            handle(exchange);
        }
    }

    /**
     * The request broke a rule: answer it in its turn (after what earlier requests are owed) and
     * close. A body being read is answered with the error itself.
     */
    private void onInvalid(HttpDecodeException error) {
        log.debug("{}: {}: {}", connection, error.status(), error.getMessage());
        pause(PAUSED_CLOSING);
        Exchange cut = receiving;
        receiving = null;
        if (cut != null && cut.state == Exchange.State.RECEIVING) {
            abortReceiver(cut, error);
            cut.closeAfter = true;
            complete(cut, errorResponse(new HttpError(error.status(), error.getMessage(), error, cut.request)));
            return;
        }
        Exchange exchange = new Exchange(startTime());
        exchanges.add(exchange);
        exchange.state = Exchange.State.HANDLING;
        complete(exchange, errorResponse(new HttpError(error.status(), error.getMessage(), error, null)));
    }

    // ---- handling ----

    private void handle(Exchange exchange) {
        Router.Route route = exchange.route;
        try {
            if (route.handler() != null) {
                complete(exchange, route.handler().handle(exchange.request));
            } else if (route.blocking() != null) {
                // An async answer like any other, whose stage completes on this loop.
                HttpHandler blocking = route.blocking();
                HttpRequest request = exchange.request;
                whenDone(exchange, config.blockingWork().submit(loop, () -> blocking.handle(request)));
            } else {
                whenDone(exchange, route.async().handle(exchange.request));
            }
        } catch (Exception e) {
            fail(exchange, e);
        }
    }

    private void startStreamingBody(Exchange exchange) {
        try {
            exchange.receiver = exchange.route.streaming().onRequest(exchange.request);
            if (exchange.receiver == null) {
                throw new NullPointerException("StreamingHandler.onRequest returned null");
            }
        } catch (Exception e) {
            exchange.receiver = null;
            fail(exchange, e);
        }
    }

    /** Hands the receiver its flow control; pausing only ever holds the body being received. */
    private void startFlow(Exchange exchange) {
        FlowControl flow = new FlowControl() {
            @Override
            public void pause() {
                onLoop(() -> {
                    if (receiving == exchange && exchange.receiver != null) {
                        Http1Connection.this.pause(PAUSED_BY_RECEIVER);
                    }
                });
            }

            @Override
            public void resume() {
                onLoop(() -> Http1Connection.this.resume(PAUSED_BY_RECEIVER));
            }
        };
        try {
            exchange.receiver.onStart(flow);
        } catch (Exception e) {
            abortReceiver(exchange, e);
            fail(exchange, e);
        }
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void endStreamingBody(Exchange exchange, HttpHeaders trailers) {
        BodyReceiver receiver = exchange.receiver;
        exchange.receiver = null;
        try {
            whenDone(exchange, receiver.onEnd(trailers));
        } catch (Exception e) {
            fail(exchange, e);
        }
    }

    private void whenDone(Exchange exchange, CompletionStage<HttpResponse> stage) {
        if (stage == null) {
            fail(exchange, new NullPointerException("handler returned a null stage"));
            return;
        }
        stage.whenComplete((response, failure) -> {
            if (loop.inEventLoop()) {
                completeOrFail(exchange, response, failure);
            } else {
                loop.execute(() -> completeOrFail(exchange, response, failure));
            }
        });
    }

    private void completeOrFail(Exchange exchange, HttpResponse response, Throwable failure) {
        if (failure != null) {
            fail(exchange, failure);
        } else {
            complete(exchange, response);
        }
    }

    private void fail(Exchange exchange, Throwable failure) {
        if (exchange.response != null) {
            log.warn("{}: {} failed after it was answered", connection, exchange, failure);
            return;
        }
        WorkRejectedException busy = busy(failure);
        if (busy != null) {
            refuseAsBusy(exchange, busy);
            return;
        }
        log.warn("{}: handler of {} failed", connection, exchange, failure);
        complete(exchange, errorResponse(new HttpError(HttpStatus.INTERNAL_SERVER_ERROR,
                "handler failed", failure, exchange.request)));
    }

    /** The refusal of blocking work behind {@code failure}, as thrown or as a stage's failure, or null. */
    private static WorkRejectedException busy(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof WorkRejectedException busy ? busy : null;
    }

    /**
     * Blocking work is full: 503 at once, so the client can go elsewhere or come back, rather
     * than wait behind a backlog. Overload is not a bug, so it is logged at debug, not per request
     * at warn. {@code Retry-After: 1} unless the error handler says otherwise: a full queue drains
     * as fast as its calls return, so a short pause is the honest hint.
     */
    private void refuseAsBusy(Exchange exchange, WorkRejectedException busy) {
        log.debug("{}: {} refused: {}", connection, exchange, busy.getMessage());
        HttpResponse response = errorResponse(new HttpError(HttpStatus.SERVICE_UNAVAILABLE,
                "too many blocking requests at once (maxTasks = " + busy.maxTasks() + ")", busy, exchange.request));
        if (response.status() == HttpStatus.SERVICE_UNAVAILABLE && !response.headers().contains(HeaderNames.RETRY_AFTER)) {
            response.headers().set(HeaderNames.RETRY_AFTER, "1");
        }
        complete(exchange, response);
    }

    private HttpResponse errorResponse(HttpError error) {
        try {
            HttpResponse response = config.errorHandler().handle(error);
            if (response != null && response.status() >= 200) {
                return response;
            }
            log.warn("{}: the error handler answered {} with {}", connection, error, response);
        } catch (Exception e) {
            log.warn("{}: error handler failed for {}", connection, error, e);
        }
        try {
            return HttpErrorHandler.defaults().handle(error);
        } catch (Exception impossible) {
            return HttpResponse.status(error.status());
        }
    }

    private void abortReceiver(Exchange exchange, Exception cause) {
        BodyReceiver receiver = exchange.receiver;
        exchange.receiver = null;
        resume(PAUSED_BY_RECEIVER);
        if (receiver != null) {
            try {
                receiver.onAbort(cause);
            } catch (RuntimeException e) {
                log.warn("{}: BodyReceiver.onAbort failed", connection, e);
            }
        }
    }

    // ---- writing, in order ----

    /** {@code exchange} has its response; send it and every ready one after it, if it is their turn. */
    private void complete(Exchange exchange, HttpResponse response) {
        if (exchange.response != null || exchange.state == Exchange.State.DONE) {
            return;
        }
        if (response == null) {
            fail(exchange, new NullPointerException("handler returned a null response"));
            return;
        }
        if (response.status() < 200 && exchange.upgrade == null) {
            // A 1xx is interim: sent as the answer, the client would take the next one for it.
            fail(exchange, new IllegalStateException("a final response cannot have status " + response.status()));
            return;
        }
        if (exchange.state == Exchange.State.RECEIVING) {
            answeredBeforeItsBody(exchange);
        }
        exchange.response = response;
        exchange.state = Exchange.State.READY;
        if (exchanges.peekFirst() == exchange) {
            writeReady();
        }
    }

    /**
     * The request is answered while its body is still to come: its body is dropped as it arrives
     * if the client is surely sending it and it is small (the connection goes on); otherwise (the
     * client waits for {@code 100 Continue}, or the body is chunked or large) the connection
     * closes after the answer, so the body can never be read as a request.
     */
    private void answeredBeforeItsBody(Exchange exchange) {
        abortReceiver(exchange, new IllegalStateException("answered before the body was read"));
        exchange.body = null;
        exchange.discardBody = true;
        exchange.continueOwed = false;
        boolean sending = !exchange.expectContinue || exchange.continueSent;
        boolean drain = sending && exchange.bodyLength > 0 && exchange.bodyLength <= config.limits().maxBodySize();
        if (!drain) {
            exchange.closeAfter = true;
            pause(PAUSED_CLOSING);
            if (receiving == exchange) {
                receiving = null;
            }
        }
    }

    private void writeReady() {
        Exchange first;
        while (!lastWritten && streaming == null && (first = exchanges.peekFirst()) != null) {
            if (first.state != Exchange.State.READY) {
                if (first.continueOwed) {
                    sendContinue(first);
                }
                return;
            }
            if (!connection.isOpen()) {
                return;
            }
            HttpResponse response = checkedForSending(first);
            boolean close = first.closeAfter || (closeWhenDone && exchanges.size() == 1)
                    || response.headersToRead().containsToken(HeaderNames.CONNECTION, "close");
            StreamedBody stream = response.streamBody();
            boolean streams = stream != null && !first.omitBody && !HttpStatus.forbidsBody(response.status());
            if (streams && first.version() == HttpVersion.HTTP_1_0) {
                close = true; // the body ends when the connection does
            }
            if (first.upgrade != null && first.response.status() == HttpStatus.SWITCHING_PROTOCOLS) {
                connection.write(response.toHead(first.version(), false, false));
                lastWritten = true;
                finish(first);
                switchProtocol(first);
                return;
            }
            ResponsePart.Head head = response.toHead(first.version(), first.omitBody, close);
            if (close) {
                lastWritten = true;
                pause(PAUSED_CLOSING);
            }
            if (streams) {
                connection.write(head);
                first.state = Exchange.State.STREAMING;
                streaming = new ResponseBodyFraming(this, connection, head.chunked(), close);
                streaming.writer().start(stream);
                return;
            }
            connection.write(head, close ? closeWhenWritten() : null);
            finish(first);
        }
    }

    /** Closes the connection once the write it listens to has left (the last response). */
    WriteListener closeWhenWritten() {
        return closeWhenWritten;
    }

    /**
     * The response of {@code exchange}, or a 500 in its place if it cannot be sent: a bytes body
     * larger than the connection's outbound limit would close the connection before its first byte.
     */
    private HttpResponse checkedForSending(Exchange exchange) {
        HttpResponse response = exchange.response;
        if (response.body().length > config.maxOutboundBytes()) {
            log.error("{}: the response to {} has a body of {} bytes, more than maxOutboundBytes = {}: "
                    + "send large bodies with HttpResponse.file or HttpResponse.stream", connection, exchange,
                    response.body().length, config.maxOutboundBytes());
            response = errorResponse(new HttpError(HttpStatus.INTERNAL_SERVER_ERROR, "response too large", null, exchange.request));
            exchange.response = response;
        }
        return response;
    }

    /** The streamed body of the first exchange ended (loop thread). */
    void streamEnded(ResponseBodyFraming stream) {
        if (streaming != stream) {
            return;
        }
        streaming = null;
        Exchange first = exchanges.peekFirst();
        if (first != null && first.state == Exchange.State.STREAMING) {
            finish(first);
            writeReady();
        }
    }

    private void finish(Exchange exchange) {
        exchanges.pollFirst();
        exchange.state = Exchange.State.DONE;
        activity++;
        accessLog(exchange);
        if (metrics != null) {
            metrics.finished(exchange, exchange.response.status());
        }
        if (exchange.event != null) {
            HttpRequest request = exchange.request;
            HttpEvents.requestEnded(exchange.event, request == null ? null : request.method(),
                    request == null ? null : request.path(),
                    exchange.route != null ? exchange.route.pattern().text() : request == null ? "invalid" : "unmatched",
                    exchange.response.status(), connection.remoteAddress());
        }
        if (lastWritten) {
            return;
        }
        if (closeWhenDone && exchanges.isEmpty()) {
            connection.close();
            return;
        }
        if (exchanges.size() < config.limits().maxPipelinedRequests()) {
            resume(PAUSED_PIPELINE_FULL);
        }
    }

    private void sendContinue(Exchange exchange) {
        exchange.continueOwed = false;
        exchange.continueSent = true;
        connection.write(ResponsePart.Continue.INSTANCE);
    }

    /** When an exchange starts, if anything will ask (the access log, a latency histogram); else 0, unread. */
    private long startTime() {
        return config.accessLog() != null || metrics != null && metrics.timed() ? loop.nanoTime() : 0;
    }

    private void accessLog(Exchange exchange) {
        Logger access = config.accessLog();
        if (access != null && access.isInfoEnabled()) {
            HttpResponse response = exchange.response;
            HttpRequest request = exchange.request;
            access.info("{} \"{}\" {} {} {}ms", request == null ? connection.remoteAddress() : request.clientAddress(),
                    request == null ? "-" : request.method() + " " + request.target() + " " + request.version(),
                    response.status(), exchange.omitBody ? 0 : Math.max(response.contentLength(), 0),
                    TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - exchange.startNanos));
        }
    }

    // ---- connection events ----

    /** The server is closing: answer what was read, read nothing more, then close. */
    void shutdown() {
        if (upgraded != null) {
            upgraded.close(CloseCodes.GOING_AWAY, "server is closing");
            return;
        }
        closeWhenDone = true;
        pause(PAUSED_CLOSING);
        if (exchanges.isEmpty()) {
            connection.close();
        }
    }

    void onInputClosed() {
        closeWhenDone = true;
        if (receiving != null) {
            abortReceiver(receiving, new EOFException("the client closed its output in the middle of a body"));
            receiving = null;
            connection.close();
            return;
        }
        if (exchanges.isEmpty()) {
            connection.close();
        }
    }

    void onWritabilityChanged(boolean writable) {
        if (writable) {
            resume(PAUSED_NOT_WRITABLE);
            if (streaming != null) {
                streaming.writer().writableAgain();
            }
        } else {
            pause(PAUSED_NOT_WRITABLE);
        }
    }

    void onClose() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (receiving != null) {
            abortReceiver(receiving, new ClosedChannelException());
            receiving = null;
        }
        if (streaming != null) {
            streaming.writer().connectionClosed();
            streaming = null;
        }
        exchanges.clear();
    }

    // ---- reading control ----

    private void pause(int reason) {
        if (pausedBy == 0) {
            connection.pauseReading();
        }
        pausedBy |= reason;
    }

    private void resume(int reason) {
        if ((pausedBy & reason) == 0) {
            return;
        }
        pausedBy &= ~reason;
        if (pausedBy == 0) {
            connection.resumeReading();
        }
    }

    // ---- timeouts ----

    private void armTimer(long deadlineNanos) {
        if (timer != null) {
            timer.cancel();
        }
        timerDeadline = deadlineNanos;
        long delay = Math.max(0, deadlineNanos - loop.nanoTime());
        timer = loop.schedule(Duration.ofNanos(delay), this::onTimer);
    }

    /** The timer fired: act on whichever deadline passed, or sleep until the next one. */
    private void onTimer() {
        timer = null;
        if (!connection.isOpen()) {
            return;
        }
        long now = loop.nanoTime();
        HttpLimits limits = config.limits();
        if (headStartedNanos >= 0) {
            long deadline = headStartedNanos + limits.headTimeout().toNanos();
            if (now - deadline >= 0) {
                timeOut("request head not received within headTimeout = " + limits.headTimeout());
            } else {
                armTimer(deadline);
            }
            return;
        }
        long idle = limits.idleTimeout().toNanos();
        long pending = connection.pendingOutboundBytes();
        if (activity != activitySeen || pending != pendingSeen) {
            activitySeen = activity;
            pendingSeen = pending;
            quietSinceNanos = now;
        } else if (now - quietSinceNanos >= idle) {
            if (pending > 0) {
                // The client stopped reading what it asked for: it will not read an answer either.
                log.debug("{}: nothing written for {}; the client stopped reading", connection, limits.idleTimeout());
                connection.abort();
                return;
            }
            if (receiving != null && (pausedBy & PAUSED_BY_RECEIVER) == 0) {
                timeOut("request body stalled for idleTimeout = " + limits.idleTimeout());
                return;
            }
            if (exchanges.isEmpty()) {
                log.debug("{}: idle for {}; closing", connection, limits.idleTimeout());
                connection.close();
                return;
            }
            // Handlers (or a receiver that paused its body) hold the connection, not the client.
            quietSinceNanos = now;
        }
        armTimer(quietSinceNanos + idle);
    }

    /** Answers 408 if nothing else is owed on the connection, then closes it. */
    private void timeOut(String why) {
        log.debug("{}: 408: {}", connection, why);
        Exchange cut = receiving;
        if (cut != null) {
            abortReceiver(cut, new TimeoutException(why));
            receiving = null;
        }
        pause(PAUSED_CLOSING);
        boolean nothingOwed = exchanges.isEmpty() || (exchanges.size() == 1 && exchanges.peekFirst() == cut);
        if (nothingOwed && streaming == null && !lastWritten) {
            // Answered as an exchange of its own, so an error body of any kind (a stream too) goes out whole.
            exchanges.clear();
            Exchange timedOut = new Exchange(startTime());
            timedOut.state = Exchange.State.HANDLING;
            exchanges.add(timedOut);
            complete(timedOut, errorResponse(new HttpError(HttpStatus.REQUEST_TIMEOUT, why, null, null)));
            // Still watched: a client that does not read the 408 either is cut off later.
            armTimer(loop.nanoTime() + config.limits().idleTimeout().toNanos());
            return;
        }
        connection.close();
    }

    EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
