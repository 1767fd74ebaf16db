package ai.piopiy.spi.transport;

import ai.piopiy.spi.Service;

/** Connects calls to the outside world (a telephony media room, a WebSocket, a local sound card). */
public interface TransportService extends Service {

    /** Opens the transport of one call. May block while the connection is set up (it runs on the call's own thread). */
    CallTransport open(CallInfo call);
}
