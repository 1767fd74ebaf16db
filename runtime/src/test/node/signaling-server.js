// A stand-in for the Piopiy signaling server, driven by the Java tests over stdin/stdout.
// Each stdout line is one JSON report; each stdin line one JSON command:
//   {"cmd":"emit","event":"join_room","data":{...}}  send an event to every connected agent
//   {"cmd":"restart","downMillis":n}                   close the server as a crash would (no goodbye to the agents),
//                                                      stay down n ms, listen again on the same port
//   {"cmd":"kick"}                                     disconnect every agent on purpose (Socket.IO "io server disconnect")
//   {"cmd":"credentials","agentId":..,"token":..}      change the credentials accepted from now on
//   {"cmd":"stop"}                                     close and exit
// The expected credentials come from the environment (AGENT_ID, AGENT_TOKEN).
"use strict";

const http = require("node:http");
const readline = require("node:readline");
const { Server } = require("socket.io");

let expectedAgentId = process.env.AGENT_ID;
let expectedToken = process.env.AGENT_TOKEN;

function report(event, fields) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

let httpServer;
let io;
let port = 0;

function listen() {
  httpServer = http.createServer();
  io = new Server(httpServer, { pingInterval: 1000, pingTimeout: 1000 });
  io.use((socket, next) => {
    const auth = socket.handshake.auth || {};
    const ok = auth.agent_id === expectedAgentId && auth.token === expectedToken;
    report("auth", { agent_id: auth.agent_id ?? null, token_ok: auth.token === expectedToken, ok });
    if (ok) {
      next();
    } else {
      // what a Socket.IO v4 server sends for a rejected handshake: connect_error {message, data}
      const err = new Error("invalid agent credentials");
      err.data = { code: 401, reason: "token rejected" };
      next(err);
    }
  });
  io.on("connection", (socket) => {
    report("connected", { id: socket.id, transport: socket.conn.transport.name });
    socket.conn.on("upgrade", (transport) => report("upgraded", { id: socket.id, transport: transport.name }));
    socket.on("disconnect", (reason) => report("disconnected", { id: socket.id, reason }));
  });
  httpServer.listen(port, "127.0.0.1", () => {
    port = httpServer.address().port;
    report("listening", { port });
  });
}

function close(then) {
  // io.close() drops the transports without a Socket.IO disconnect packet, like a crashed server
  io.close(() => then());
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "") return;
  const command = JSON.parse(line);
  switch (command.cmd) {
    case "emit":
      io.emit(command.event, command.data);
      report("emitted", { name: command.event, clients: io.engine.clientsCount });
      break;
    case "restart":
      close(() => {
        report("stopped", {});
        setTimeout(listen, command.downMillis ?? 0);
      });
      break;
    case "kick":
      io.disconnectSockets(true);
      report("kicked", {});
      break;
    case "credentials":
      expectedAgentId = command.agentId;
      expectedToken = command.token;
      report("credentials", {});
      break;
    case "stop":
      close(() => process.exit(0));
      break;
    default:
      report("error", { message: "unknown command " + command.cmd });
  }
});
// the test JVM went away: do not outlive it
process.stdin.on("end", () => process.exit(0));

listen();
