package io.eddy.bench;

import io.eddy.core.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

/**
 * The TechEmpower plaintext test on Netty, the yardstick: {@code HttpServerCodec} and a handler
 * that answers {@code GET /plaintext} {@code Hello, World!} with {@code Content-Type},
 * {@code Content-Length}, {@code Server} and {@code Date} (the same header fields and values as
 * Eddy's {@link PlaintextServer}, apart from the server's name) and anything else {@code 404}, as
 * TechEmpower's Netty entry does: flushed once per read, written with the void promise (no
 * promise allocated per response), its constant response headers set without validation. {@code GET
 * /bulk} answers the 1 MiB {@link BulkBody}, as Eddy's server does.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NettyPlaintextServer --port N --transport nio|epoll
 * [--tls-cert FILE --tls-key FILE]}. With the certificate and key it serves HTTPS instead, through
 * Netty's {@code SslHandler} on the JDK's {@code SSLEngine} ({@link SslProvider#JDK}, the provider
 * Eddy uses), with Eddy's defaults: the protocols and cipher suites an engine of Eddy's
 * {@link ServerTls} enables for the same files, the server's suite order, ALPN {@code http/1.1}.
 * Threading: {@code --loops} event loop threads (one by default); one accepts, all serve; the
 * handshake's delegated tasks run on the channel's loop ({@code SslContext.newHandler}'s default).
 */
public final class NettyPlaintextServer {

    private NettyPlaintextServer() {
    }

    /** {@code --port N --loops N --transport nio|epoll}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        NettyTransport transport = NettyTransport.named(options.transport());
        EventLoopGroup group = transport.group(options.loops());
        DateValue date = new DateValue();
        group.scheduleAtFixedRate(date::update, 1, 1, TimeUnit.SECONDS);
        ServerArgs.TlsFiles files = options.tls();
        Channel channel = start(group, transport, options.port(), files == null ? null : sslContext(files), date);
        ServerArgs.announce(((InetSocketAddress) channel.localAddress()).getPort());
        channel.closeFuture().sync();
    }

    /**
     * Serves on {@code port} (0: any free port) on {@code group}: plaintext, or HTTPS with
     * {@code tls} (an {@code SslHandler} first in each connection's pipeline) when it is given.
     */
    static Channel start(EventLoopGroup group, NettyTransport transport, int port, SslContext tls, DateValue date)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new PlaintextHandler(date));
                    }
                })
                .bind(port).sync().channel();
    }

    /**
     * A server context on the JDK provider with the same settings as Eddy's {@link ServerTls}
     * defaults for {@code files}: its engine's enabled protocols and cipher suites, in its order
     * (which the JDK's server engine prefers, as Eddy's does), and ALPN {@code http/1.1}, a client
     * offering only other names failing the handshake, as with Eddy.
     */
    static SslContext sslContext(ServerArgs.TlsFiles files) throws Exception {
        SSLEngine eddys = ServerTls.builder().certificate(files.certificateChain(), files.privateKey()).build().newEngine();
        return SslContextBuilder.forServer(files.certificateChain().toFile(), files.privateKey().toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(eddys.getEnabledProtocols())
                .ciphers(List.of(eddys.getEnabledCipherSuites()))
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.FATAL_ALERT,
                        ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    /** Answers each request; flushes what it wrote once the read is done. */
    static final class PlaintextHandler extends ChannelInboundHandlerAdapter {
        private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
        /** What Eddy's {@code HttpResponse.text} sends, so both servers answer with as many bytes. */
        private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
        private static final AsciiString SERVER = AsciiString.cached("Netty");
        private static final AsciiString LENGTH = AsciiString.cached(String.valueOf(BODY.length));
        private static final AsciiString ZERO = AsciiString.cached("0");
        private static final AsciiString BULK_TYPE = AsciiString.cached(BulkBody.CONTENT_TYPE);
        private static final AsciiString BULK_LENGTH = AsciiString.cached(String.valueOf(BulkBody.LENGTH));
        /** The handler's own constant fields need no checking, as Eddy's encoder does not check its own. */
        private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

        private final DateValue date;

        PlaintextHandler(DateValue date) {
            this.date = date;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    // Routed on the path, as Eddy's server is.
                    String path = request.uri();
                    ctx.write(path.equals(PlaintextRequest.PATH) ? response(date.value())
                            : path.equals(BulkBody.PATH) ? bulk(date.value()) : notFound(date.value()), ctx.voidPromise());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** The plaintext response, made per request as a handler would. */
        static FullHttpResponse response(AsciiString date) {
            HttpHeaders headers = HEADERS.newHeaders()
                    .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                    .set(HttpHeaderNames.SERVER, SERVER)
                    .set(HttpHeaderNames.DATE, date)
                    .set(HttpHeaderNames.CONTENT_LENGTH, LENGTH);
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(BODY),
                    headers, HttpHeaders.EMPTY_HEADERS);
        }

        /** The 1 MiB bulk response: the shared bytes wrapped, not copied, as Eddy's server sends them. */
        static FullHttpResponse bulk(AsciiString date) {
            HttpHeaders headers = HEADERS.newHeaders()
                    .set(HttpHeaderNames.CONTENT_TYPE, BULK_TYPE)
                    .set(HttpHeaderNames.SERVER, SERVER)
                    .set(HttpHeaderNames.DATE, date)
                    .set(HttpHeaderNames.CONTENT_LENGTH, BULK_LENGTH);
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(BulkBody.BYTES), headers, HttpHeaders.EMPTY_HEADERS);
        }

        /** {@code 404} with no body, for any other path. */
        static FullHttpResponse notFound(AsciiString date) {
            HttpHeaders headers = HEADERS.newHeaders()
                    .set(HttpHeaderNames.SERVER, SERVER)
                    .set(HttpHeaderNames.DATE, date)
                    .set(HttpHeaderNames.CONTENT_LENGTH, ZERO);
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER,
                    headers, HttpHeaders.EMPTY_HEADERS);
        }
    }

    /** The {@code Date} value, formatted once a second on the loop, read by handlers on the same loop. */
    static final class DateValue {
        private volatile AsciiString value = format();

        AsciiString value() {
            return value;
        }

        void update() {
            value = format();
        }

        private static AsciiString format() {
            return new AsciiString(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        }
    }
}
