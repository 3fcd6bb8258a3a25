/**
 * WebSocket (RFC 6455) with permessage-deflate (RFC 7692), shared by the server and the client:
 * the typed API ({@link io.eddy.http.websocket.WebSocket}, {@link io.eddy.http.websocket.WebSocketHandler},
 * {@link io.eddy.http.websocket.WebSocketOptions}), the frame codec ({@link io.eddy.http.websocket.FrameDecoder},
 * {@link io.eddy.http.websocket.FrameEncoder}) and the switch of an upgraded connection to it
 * ({@link io.eddy.http.websocket.WebSocketUpgrade}).
 */
package io.eddy.http.websocket;
