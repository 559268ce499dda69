// The Socket.IO 4 side of the benchmark (docs/benchmarks.md, issue 15): one node, the in-memory
// adapter, the websocket transport only. Started by dev.dormouse.bench.SocketIoServer as
//   node server.js PORT MODE
// with NODE_PATH pointing at the node_modules of `npm install --prefix DIR socket.io@4`.
//   MODE broadcast: every socket joins room "all"; each "message" event is emitted, as is, to the
//                   room including the sender (Dormouse's BroadcastRoom does the same).
//   MODE chat:      Dormouse's builtin chat room: a join is announced to the room, the joiner
//                   included ({type: "join", id, name}); a message goes to everyone as
//                   {type: "message", from, name, text}; a leave is announced to the others.
"use strict";
const { Server } = require("socket.io");

const port = Number(process.argv[2]);
const mode = process.argv[3] || "broadcast";
if (!Number.isInteger(port) || !["broadcast", "chat"].includes(mode)) {
  console.error("usage: node server.js PORT broadcast|chat");
  process.exit(2);
}

const http = require("http").createServer();
const io = new Server(http, {
  transports: ["websocket"],
  serveClient: false,
  perMessageDeflate: false,
});

io.on("connection", (socket) => {
  if (mode === "broadcast") {
    socket.join("all");
    socket.on("message", (payload) => io.to("all").emit("message", payload));
    return;
  }
  const name = String(socket.handshake.query.name || "anonymous");
  socket.join("chat");
  io.to("chat").emit("message", { type: "join", id: socket.id, name });
  socket.on("message", (text) =>
    io.to("chat").emit("message", { type: "message", from: socket.id, name, text }));
  socket.on("disconnect", () =>
    io.to("chat").emit("message", { type: "leave", id: socket.id, name }));
});

// The harness's memory row asks for a full collection before it reads the resident memory
// (node --expose-gc), as it collects in the Dormouse JVM; this line tells it the collection is done.
process.on("SIGUSR2", () => {
  global.gc();
  console.log("collected");
});

// The harness waits for this line before it connects; a port in use ends the process instead.
http.listen(port, "127.0.0.1", () => console.log("listening " + port + " " + mode));
