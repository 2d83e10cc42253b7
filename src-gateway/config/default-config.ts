/**
 * The configuration `npm start` uses when no config file is given: the built-in demo back office,
 * so masking, deny rules and approvals have something real to act on from the first minute.
 * `airlock` as a command means "this Airlock installation" (see upstream/stdio-upstream.ts).
 */
export const DEFAULT_CONFIG = {
  listen: { host: '127.0.0.1', port: 7400 },
  servers: {
    demo: { command: 'airlock', args: ['demo-server'] },
  },
} as const;
