import { DurableObject } from "cloudflare:workers";

// A chat room as a Durable Object, one per instance name (ws://HOST/rooms/chat-js/{instance}?name=alice).
// Everything that must outlive hibernation is kept where the runtime keeps it for us: each person's
// name in their socket's attachment and tag, the last messages in storage, the idle notice as an alarm.
// Nothing is kept in fields across events, so the constructor has nothing to rebuild.
export class ChatRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // env holds the room's spec.env, strings as written in the YAML.
    this.historySize = Number(env.HISTORY ?? 20);
    this.idleNoticeMs = Number(env.IDLE_NOTICE_SECONDS ?? 60) * 1000;
    // Keep-alives are answered by the gateway: a "ping" never wakes the room.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (request.headers.get("Upgrade") !== "websocket") {
      if (request.method === "GET" && url.pathname.endsWith("/history")) {
        return Response.json(await this.history());
      }
      return new Response("connect with a WebSocket, or GET .../history\n", { status: 404 });
    }
    const name = (url.searchParams.get("name") || "guest-" + crypto.randomUUID().slice(0, 4)).slice(0, 32);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["name:" + name]);
    server.serializeAttachment({ name, joined: new Date() });
    for (const line of await this.history()) {
      server.send(`${line.name}: ${line.text}`);
    }
    this.broadcast(`* ${name} joined (${this.ctx.getWebSockets().length} here)`);
    await this.restartIdleNotice();
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, message) {
    const { name } = ws.deserializeAttachment();
    if (typeof message !== "string") {
      ws.send("* text only, please");
      return;
    }
    if (message === "/who") {
      const names = this.ctx.getWebSockets().map((socket) => socket.deserializeAttachment().name);
      ws.send(`* here: ${names.join(", ")}`);
      return;
    }
    if (message.startsWith("/to ")) {
      // A private line to everyone of that name, found by the tag set on joining.
      const [, to, ...words] = message.split(" ");
      const sockets = this.ctx.getWebSockets("name:" + to);
      sockets.forEach((socket) => socket.send(`${name} (to you): ${words.join(" ")}`));
      ws.send(sockets.length ? `* sent to ${to}` : `* nobody called ${to} is here`);
      return;
    }
    const seq = ((await this.ctx.storage.get("seq")) ?? 0) + 1;
    // One write of two keys: the counter and the message move together or not at all.
    await this.ctx.storage.put({ seq, [messageKey(seq)]: { name, text: message, at: new Date() } });
    if (seq > this.historySize) {
      await this.ctx.storage.delete(messageKey(seq - this.historySize));
    }
    this.broadcast(`${name}: ${message}`);
    await this.restartIdleNotice();
  }

  async webSocketClose(ws, code, reason, wasClean) {
    const { name } = ws.deserializeAttachment();
    ws.close(1000, "bye");
    this.broadcast(`* ${name} left`, ws);
  }

  async webSocketError(ws, error) {
    console.warn("socket of", ws.deserializeAttachment()?.name, "failed:", error);
  }

  // Rings once the room has been quiet for idleNoticeMs, waking it from hibernation if need be.
  async alarm() {
    const here = this.ctx.getWebSockets().length;
    if (here > 0) {
      this.broadcast(`* quiet for ${this.idleNoticeMs / 1000} s, ${here} here`);
    }
  }

  async restartIdleNotice() {
    await this.ctx.storage.setAlarm(Date.now() + this.idleNoticeMs);
  }

  async history() {
    const newest = await this.ctx.storage.list({ prefix: "m:", reverse: true, limit: this.historySize });
    return [...newest.values()].reverse();
  }

  broadcast(text, except) {
    for (const socket of this.ctx.getWebSockets()) {
      if (socket !== except) {
        socket.send(text);
      }
    }
  }
}

// Zero-padded, so that storage's key order is the order of the messages.
function messageKey(seq) {
  return "m:" + String(seq).padStart(12, "0");
}
