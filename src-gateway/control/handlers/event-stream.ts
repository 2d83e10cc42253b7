import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlEventBus } from '../control-events.js';

/** Keeps proxies and idle timers from closing a quiet stream, and notices clients that went away. */
const HEARTBEAT_MS = 15_000;
/** A client that stops reading is dropped once this much is waiting for it, rather than buffered forever. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * `GET /control/events`: every ControlEvent as a server-sent event (`event: <type>`, `data: <JSON>`)
 * until the client goes away.
 */
export function streamEvents(events: ControlEventBus, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');

  const send = (text: string) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    res.write(text);
  };
  const unsubscribe = events.subscribe((event) => send(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`));
  const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();

  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  res.once('close', stop);
  req.once('close', stop);
}
