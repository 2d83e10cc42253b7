/** Where the gateway's own diagnostics go. Never pass a credential or a message body to it. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** Writes to stderr, so stdout stays free for what a command prints (tokens, protocol, JSONL). */
export function createLogger(level: Level = (process.env.AIRLOCK_LOG_LEVEL as Level) ?? 'info'): Logger {
  const min = Math.max(0, LEVELS.indexOf(level));
  const write = (at: Level, text: string) => {
    if (LEVELS.indexOf(at) >= min) process.stderr.write(`${new Date().toISOString()} ${at.padEnd(5)} ${text}\n`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m, e) => write('error', e === undefined ? m : `${m}: ${e instanceof Error ? e.message : String(e)}`),
  };
}
