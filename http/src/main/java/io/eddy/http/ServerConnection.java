package io.eddy.http;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.Connection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of one HTTP connection: runs each request's handler, writes the responses
 * strictly in request order (whatever order handlers answer in), keeps the connection alive or
 * closes it, and enforces the head and idle timeouts.
 *
 * <p>Reading pauses while the connection is not writable, while {@code maxPipelinedRequests}
 * requests await their responses, and for good once a response closes the connection.
 *
 * <p>Threading: loop thread only; answers from other threads come in through {@code loop.execute}.
 */
final class ServerConnection {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

    private static final int PAUSED_NOT_WRITABLE = 1;
    private static final int PAUSED_PIPELINE_FULL = 2;
    private static final int PAUSED_CLOSING = 4;

    private final ServerConfig config;
    private final Connection<ResponsePart> connection;
    private final EventLoop loop;
    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>(4);
    /** The exchange whose body is being read, or null. */
    private Exchange receiving;
    private int pausedBy;
    private boolean closing;
    /** When the head now being read began to arrive, or -1 if none is partly read. */
    private long headStartedNanos = -1;
    /**
     * Counts requests, body pieces and responses completed. The timer compares it with what it saw
     * last time, so the hot path never reads the clock: an idle connection is closed between one
     * and two idle timeouts after its last activity.
     */
    private long activity;
    private long activitySeen;
    /** When the timer last found no activity since its previous look (or the connection opened). */
    private long quietSinceNanos;
    private ScheduledTask timer;
    private long timerDeadline;
    private StreamWriter streaming;

    ServerConnection(ServerConfig config, Connection<ResponsePart> connection) {
        this.config = config;
        this.connection = connection;
        this.loop = connection.loop();
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
        HttpRequest request = head.request();
        request.remoteAddress((InetSocketAddress) connection.remoteAddress());
        Exchange exchange = new Exchange(request, head.keepAlive(), config.accessLog() != null ? loop.nanoTime() : 0);
        exchanges.add(exchange);
        if (!head.keepAlive()) {
            // Nothing after this request (and its body) is read: it is the last on this connection.
            exchange.closeAfter = true;
            if (!head.hasBody()) {
                pause(PAUSED_CLOSING);
            }
        } else if (exchanges.size() >= config.limits().maxPipelinedRequests()) {
            pause(PAUSED_PIPELINE_FULL);
        }
        Router.Match match = config.router().match(request);
        if (match.route() == null) {
            HttpResponse error = errorResponse(new HttpError(match.status(), routingMessage(match.status(), request), null, request));
            if (match.allow() != null) {
                error.headers().set(HeaderNames.ALLOW, match.allow());
            }
            answerWithoutBody(exchange, head, error);
            return;
        }
        request.pathParams(match.params());
        exchange.route = match.route();
        if (!head.hasBody()) {
            exchange.state = Exchange.State.HANDLING;
            if (exchange.route.streaming() != null) {
                startStreamingBody(exchange);
                if (exchange.receiver != null) {
                    endStreamingBody(exchange, new HttpHeaders(0));
                }
            } else {
                handle(exchange);
            }
            return;
        }
        boolean streams = exchange.route.streaming() != null;
        if (!streams && head.bodyLength() > config.limits().maxBodySize()) {
            answerWithoutBody(exchange, head, errorResponse(new HttpError(HttpStatus.CONTENT_TOO_LARGE,
                    "body of " + head.bodyLength() + " bytes exceeds the limit maxBodySize = "
                            + config.limits().maxBodySize(), null, request)));
            return;
        }
        exchange.state = Exchange.State.RECEIVING;
        receiving = exchange;
        if (streams) {
            startStreamingBody(exchange);
            if (exchange.receiver == null) {
                return; // the handler failed and was answered; its body is thrown away
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

    private static String routingMessage(int status, HttpRequest request) {
        switch (status) {
            case HttpStatus.NOT_FOUND: return "no route for " + request.path();
            case HttpStatus.METHOD_NOT_ALLOWED: return request.method() + " is not allowed for " + request.path();
            default: return "method " + request.method() + " is not implemented";
        }
    }

    /**
     * Answers a request before (or instead of) reading its body: the body, if small and announced,
     * is read and dropped to keep the connection; otherwise the connection closes after the answer.
     */
    private void answerWithoutBody(Exchange exchange, RequestPart.Head head, HttpResponse response) {
        if (head.hasBody()) {
            boolean drain = !head.expectContinue() && head.bodyLength() > 0
                    && head.bodyLength() <= config.limits().maxBodySize();
            if (drain) {
                exchange.discardBody = true;
                receiving = exchange;
            } else {
                exchange.closeAfter = true;
                pause(PAUSED_CLOSING);
            }
        }
        complete(exchange, response);
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
                BodyReceiver receiver = exchange.receiver;
                exchange.receiver = null;
                exchange.discardBody = true;
                receiver.onAbort(e);
                fail(exchange, e);
            }
            return;
        }
        if ((long) exchange.body.size() + data.remaining() > config.limits().maxBodySize()) {
            exchange.body = null;
            exchange.discardBody = true;
            exchange.closeAfter = true;
            pause(PAUSED_CLOSING);
            complete(exchange, errorResponse(new HttpError(HttpStatus.CONTENT_TOO_LARGE,
                    "body exceeds the limit maxBodySize = " + config.limits().maxBodySize(), null, exchange.request)));
            return;
        }
        exchange.body.append(data);
    }

    private void onEnd(HttpHeaders trailers) {
        activity++;
        Exchange exchange = receiving;
        receiving = null;
        if (exchange != null && exchange.closeAfter) {
            pause(PAUSED_CLOSING); // the last request's body is in: read nothing more
        }
        if (exchange == null || exchange.discardBody) {
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

    // ---- handling ----

    private void handle(Exchange exchange) {
        Router.Route route = exchange.route;
        try {
            if (route.handler() != null) {
                complete(exchange, route.handler().handle(exchange.request));
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
            exchange.discardBody = true;
            fail(exchange, e);
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
        if (exchange.state == Exchange.State.DONE || exchange.response != null) {
            log.warn("{}: {} failed after it was answered", connection, exchange.request, failure);
            return;
        }
        log.warn("{}: handler of {} failed", connection, exchange.request, failure);
        complete(exchange, errorResponse(new HttpError(HttpStatus.INTERNAL_SERVER_ERROR,
                "handler failed", failure, exchange.request)));
    }

    private HttpResponse errorResponse(HttpError error) {
        try {
            HttpResponse response = config.errorHandler().handle(error);
            if (response != null) {
                return response;
            }
        } catch (Exception e) {
            log.warn("{}: error handler failed for {}", connection, error, e);
        }
        try {
            return HttpErrorHandler.defaults().handle(error);
        } catch (Exception impossible) {
            return HttpResponse.status(error.status());
        }
    }

    // ---- writing, in order ----

    /** {@code exchange} has its response; send it and every ready one after it, if it is their turn. */
    private void complete(Exchange exchange, HttpResponse response) {
        if (exchange.state == Exchange.State.DONE || exchange.state == Exchange.State.READY
                || exchange.state == Exchange.State.STREAMING) {
            return;
        }
        if (response == null) {
            fail(exchange, new NullPointerException("handler returned a null response"));
            return;
        }
        if (exchange.state == Exchange.State.RECEIVING && !exchange.discardBody) {
            // Answered before the body was read (a handler failing mid-stream): drop the rest.
            exchange.discardBody = true;
        }
        exchange.response = response;
        exchange.state = Exchange.State.READY;
        if (exchanges.peekFirst() == exchange) {
            writeReady();
        }
    }

    private void writeReady() {
        Exchange first;
        while ((first = exchanges.peekFirst()) != null && streaming == null) {
            if (first.state != Exchange.State.READY) {
                if (first.continueOwed) {
                    sendContinue(first);
                }
                return;
            }
            HttpResponse response = first.response;
            boolean close = first.closeAfter || closing
                    || response.headers().containsToken(HeaderNames.CONNECTION, "close");
            ChunkedBody stream = response.streamBody();
            boolean streams = stream != null && !first.omitBody && !HttpStatus.forbidsBody(response.status());
            if (streams && first.request.version() == HttpVersion.HTTP_1_0) {
                close = true; // the body ends when the connection does
            }
            if (!connection.isOpen()) {
                return;
            }
            connection.write(new ResponsePart.Head(first.request.version(), response, first.omitBody, close));
            if (close) {
                closing = true;
                pause(PAUSED_CLOSING);
            }
            if (streams) {
                first.state = Exchange.State.STREAMING;
                streaming = new StreamWriter(this, connection, first.request.version() == HttpVersion.HTTP_1_1);
                try {
                    stream.writeTo(streaming);
                } catch (Exception e) {
                    streaming.fail(e);
                }
                return;
            }
            finish(first);
        }
    }

    /** The streamed body of the first exchange ended (loop thread). */
    void streamEnded(StreamWriter writer) {
        if (streaming != writer) {
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
        accessLog(exchange);
        if (closing) {
            connection.close();
            return;
        }
        activity++;
        if (exchanges.size() < config.limits().maxPipelinedRequests()) {
            resume(PAUSED_PIPELINE_FULL);
        }
    }

    private void sendContinue(Exchange exchange) {
        exchange.continueOwed = false;
        connection.write(ResponsePart.Continue.INSTANCE);
    }

    private void accessLog(Exchange exchange) {
        Logger access = config.accessLog();
        if (access != null && access.isInfoEnabled()) {
            HttpResponse response = exchange.response;
            access.info("{} \"{} {} {}\" {} {} {}ms", exchange.request.remoteAddress(), exchange.request.method(),
                    exchange.request.target(), exchange.request.version(), response.status(),
                    exchange.omitBody ? 0 : Math.max(response.contentLength(), 0),
                    TimeUnit.NANOSECONDS.toMillis(loop.nanoTime() - exchange.startNanos));
        }
    }

    // ---- connection events ----

    void onDecodeError(HttpDecodeException error) {
        // Nothing more is read. Responses already made go out first, then the error; if some
        // earlier request is still being answered, the connection closes without waiting for it.
        abortReceiving(error);
        boolean allReady = streaming == null && exchanges.stream().allMatch(e -> e.state == Exchange.State.READY);
        if (allReady) {
            writeReady();
            HttpResponse response = errorResponse(new HttpError(error.status(), error.getMessage(), error, null));
            connection.write(new ResponsePart.Head(HttpVersion.HTTP_1_1, response, false, true));
        }
        closing = true;
    }

    void onInputClosed() {
        if (receiving != null) {
            abortReceiving(new java.io.EOFException("the client closed its output in the middle of a body"));
            connection.close();
            return;
        }
        closing = true;
        if (exchanges.isEmpty()) {
            connection.close();
        }
    }

    void onWritabilityChanged(boolean writable) {
        if (writable) {
            resume(PAUSED_NOT_WRITABLE);
            if (streaming != null) {
                streaming.writableAgain();
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
        abortReceiving(new java.nio.channels.ClosedChannelException());
        if (streaming != null) {
            streaming.connectionClosed();
            streaming = null;
        }
        exchanges.clear();
    }

    private void abortReceiving(Exception cause) {
        Exchange exchange = receiving;
        receiving = null;
        if (exchange != null && exchange.receiver != null) {
            BodyReceiver receiver = exchange.receiver;
            exchange.receiver = null;
            try {
                receiver.onAbort(cause);
            } catch (RuntimeException e) {
                log.warn("{}: BodyReceiver.onAbort failed", connection, e);
            }
        }
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
        if (activity != activitySeen) {
            activitySeen = activity;
            quietSinceNanos = now;
        } else if (now - quietSinceNanos >= idle) {
            if (receiving != null) {
                timeOut("request body stalled for idleTimeout = " + limits.idleTimeout());
                return;
            }
            if (exchanges.isEmpty()) {
                log.debug("{}: idle for {}; closing", connection, limits.idleTimeout());
                connection.close();
                return;
            }
            // Handlers or a slow reader hold the connection, not the client: look again later.
            quietSinceNanos = now;
        }
        armTimer(quietSinceNanos + idle);
    }

    /** Answers 408 if nothing else is owed on the connection, then closes it. */
    private void timeOut(String why) {
        log.info("{}: 408: {}", connection, why);
        Exchange cut = receiving;
        abortReceiving(new java.util.concurrent.TimeoutException(why));
        boolean nothingOwed = exchanges.isEmpty() || (exchanges.size() == 1 && exchanges.peekFirst() == cut);
        if (nothingOwed && streaming == null) {
            exchanges.clear();
            HttpResponse response = errorResponse(new HttpError(HttpStatus.REQUEST_TIMEOUT, why, null, null));
            connection.write(new ResponsePart.Head(HttpVersion.HTTP_1_1, response, false, true));
        }
        closing = true;
        pause(PAUSED_CLOSING);
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
