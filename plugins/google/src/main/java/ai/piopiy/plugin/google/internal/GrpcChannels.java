package ai.piopiy.plugin.google.internal;

import static java.util.Objects.requireNonNull;

import ai.piopiy.spi.ServiceException;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** gRPC channels to Google's endpoints, and the call credentials that authorise their calls. */
public final class GrpcChannels {

    private GrpcChannels() {}

    /**
     * A channel to {@code endpoint}: {@code https://host[:port]} (TLS, port 443 by default), or
     * {@code http://host:port} in plaintext for a local emulator or test server.
     *
     * @param executor runs the calls' callbacks
     */
    public static ManagedChannel open(String endpoint, ExecutorService executor) {
        URI uri = URI.create(endpoint);
        boolean tls = "https".equals(uri.getScheme());
        if (!tls && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be https://host[:port] or http://host:port, got " + endpoint);
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort())
                .executor(executor)
                .userAgent("piopiy-java")
                // a call's stream stays idle between utterances; pings keep NATs from dropping it
                .keepAliveTime(60, TimeUnit.SECONDS);
        return (tls ? builder.useTransportSecurity() : builder.usePlaintext()).build();
    }

    /** Cancels the channel's calls and waits briefly for its threads to end. */
    public static void shutdown(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Puts {@code authorization}'s header on each call, found on {@code blocking} since a token exchange blocks. */
    public static CallCredentials credentials(Authorization authorization, Executor blocking) {
        requireNonNull(authorization, "authorization is null");
        requireNonNull(blocking, "blocking is null");
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor appExecutor, MetadataApplier applier) {
                blocking.execute(() -> {
                    try {
                        Authorization.Header header = authorization.header();
                        Metadata metadata = new Metadata();
                        metadata.put(Metadata.Key.of(header.name(), Metadata.ASCII_STRING_MARSHALLER), header.value());
                        applier.apply(metadata);
                    } catch (ServiceException e) {
                        applier.fail(Status.UNAUTHENTICATED.withDescription("no credential").withCause(e));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        applier.fail(Status.CANCELLED.withDescription("interrupted while fetching a credential"));
                    } catch (RuntimeException e) {
                        applier.fail(Status.UNAUTHENTICATED.withDescription("no credential: " + e).withCause(e));
                    }
                });
            }
        };
    }

    /**
     * A failed call as the service's error. A failure to get a credential is reported as it was; a
     * status is named with its code and the server's description. Statuses that retrying cannot fix
     * (rejected credentials, a bad request) are fatal.
     */
    public static ServiceException failure(String service, String what, Throwable error) {
        Status status = Status.fromThrowable(error);
        if (status.getCause() instanceof ServiceException e) {
            return e;
        }
        String hint = switch (status.getCode()) {
            case UNAUTHENTICATED -> " (the access token or API key was refused)";
            case PERMISSION_DENIED -> " (the credential may not use this API, or the API is not enabled for its project)";
            case INVALID_ARGUMENT -> " (a setting was refused; check the model, language and voice)";
            case UNAVAILABLE -> " (the service could not be reached)";
            default -> "";
        };
        return new ServiceException(service, what + " failed with " + describe(status) + hint, isFatal(status.getCode()), error);
    }

    /** The status code and the server's description. */
    public static String describe(Status status) {
        return status.getDescription() == null ? status.getCode().toString() : status.getCode() + ": " + status.getDescription();
    }

    public static boolean isFatal(Status.Code code) {
        return switch (code) {
            case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, NOT_FOUND, UNIMPLEMENTED, FAILED_PRECONDITION -> true;
            default -> false;
        };
    }
}
