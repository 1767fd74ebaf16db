package ai.piopiy.agent.internal;

import static java.util.Objects.requireNonNull;

import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * Answers the server's WebSocket close frame, which socket.io-client's transport leaves unanswered
 * (it listens for onClosed only). Unanswered, a server that shuts down cleanly is noticed only when
 * the heartbeat times out (up to 45 s with Socket.IO's defaults) instead of at once.
 */
final class CloseReplyingListener extends WebSocketListener {

    private final WebSocketListener delegate;

    CloseReplyingListener(WebSocketListener delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        delegate.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(code, null);
        delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        delegate.onFailure(webSocket, failure, response);
    }
}
