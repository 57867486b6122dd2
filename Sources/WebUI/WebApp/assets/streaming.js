// One WebSocket for every live column. The token goes in the Sec-WebSocket-Protocol header (the
// second argument of `new WebSocket`), the one place a browser lets a page put a credential on a
// WebSocket handshake without putting it in the URL.

const RETRY_DELAYS = [1000, 2000, 5000, 10000, 30000];

export class Streaming {
  constructor(token) {
    this.token = token;
    this.socket = null;
    this.retries = 0;
    this.closed = false;
    // "stream|tag" -> { stream, tag, count }: columns come and go, the subscription stays while any needs it.
    this.subscriptions = new Map();
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.state = "connecting";
  }

  start() {
    this.closed = false;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}/api/v1/streaming`, this.token);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.retries = 0;
      this.setState("open");
      for (const sub of this.subscriptions.values()) this.send("subscribe", sub);
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => {
      if (this.socket === socket) this.socket = null;
      if (!this.closed) {
        this.setState("reconnecting");
        this.scheduleReconnect();
      }
    });
    // An error is always followed by close, where the retry happens.
    socket.addEventListener("error", () => {});
  }

  scheduleReconnect() {
    const delay = RETRY_DELAYS[Math.min(this.retries, RETRY_DELAYS.length - 1)];
    this.retries += 1;
    // Jitter keeps many tabs from reconnecting in lockstep after a server restart.
    setTimeout(() => !this.closed && this.connect(), delay * (0.75 + Math.random() / 2));
  }

  stop() {
    this.closed = true;
    if (this.socket) this.socket.close(1000);
    this.socket = null;
  }

  setState(state) {
    this.state = state;
    for (const listener of this.statusListeners) listener(state);
  }

  onState(listener) {
    this.statusListeners.add(listener);
    listener(this.state);
  }

  send(type, { stream, tag }) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      const message = { type, stream };
      if (tag) message.tag = tag;
      this.socket.send(JSON.stringify(message));
    }
  }

  /** Subscribes to a stream ("user", "public:local", "public", "hashtag" + tag); returns the unsubscribe. */
  subscribe(stream, tag) {
    const key = `${stream}|${tag || ""}`;
    let sub = this.subscriptions.get(key);
    if (!sub) {
      sub = { stream, tag, count: 0 };
      this.subscriptions.set(key, sub);
      this.send("subscribe", sub);
    }
    sub.count += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      sub.count -= 1;
      if (sub.count === 0) {
        this.subscriptions.delete(key);
        this.send("unsubscribe", sub);
      }
    };
  }

  /** `listener(event, payload, streams)` gets every event; columns filter by stream name. */
  listen(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!message || typeof message.event !== "string") return;
    let payload = message.payload;
    // Entities arrive as JSON inside a string; a delete carries a bare id.
    if (typeof payload === "string" && message.event !== "delete") {
      try {
        payload = JSON.parse(payload);
      } catch {
        return;
      }
    }
    const streams = Array.isArray(message.stream) ? message.stream : [];
    for (const listener of this.listeners) {
      try {
        listener(message.event, payload, streams);
      } catch (error) {
        console.error(error);
      }
    }
  }
}
