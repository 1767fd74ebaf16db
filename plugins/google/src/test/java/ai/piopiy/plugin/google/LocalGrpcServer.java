package ai.piopiy.plugin.google;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A plaintext gRPC server on 127.0.0.1 whose handlers can read the call's metadata through {@link #HEADERS}. */
final class LocalGrpcServer implements AutoCloseable {

    static final Context.Key<Metadata> HEADERS = Context.key("headers");

    private final Server server;

    LocalGrpcServer(ServerServiceDefinition service) throws IOException {
        ServerInterceptor keepHeaders = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
                return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(service, keepHeaders))
                .build()
                .start();
    }

    /** The endpoint setting that reaches this server. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One call as the server sees it: its metadata, whether the client half-closed or cancelled, and a way to answer. */
    abstract static class RecordedCall<Q, A> implements StreamObserver<Q> {
        private final Metadata headers = HEADERS.get();
        private final ServerCallStreamObserver<A> responses;
        private final CountDownLatch halfClosed = new CountDownLatch(1);
        private final CountDownLatch cancelled = new CountDownLatch(1);

        RecordedCall(StreamObserver<A> responses) {
            this.responses = (ServerCallStreamObserver<A>) responses;
            this.responses.setOnCancelHandler(cancelled::countDown);
        }

        String header(String name) {
            return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }

        void send(A response) {
            responses.onNext(response);
        }

        void complete() {
            responses.onCompleted();
        }

        void fail(Status status) {
            responses.onError(status.asRuntimeException());
        }

        boolean awaitHalfClose() throws InterruptedException {
            return halfClosed.await(5, TimeUnit.SECONDS);
        }

        boolean awaitCancel() throws InterruptedException {
            return cancelled.await(5, TimeUnit.SECONDS);
        }

        boolean isCancelled() {
            return cancelled.getCount() == 0;
        }

        @Override
        public void onError(Throwable error) {
            cancelled.countDown();
        }

        @Override
        public void onCompleted() {
            halfClosed.countDown();
        }
    }
}
