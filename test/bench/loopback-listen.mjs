// Preloaded (`node --import`) into peer proxies that have no --host flag, so that they listen on
// 127.0.0.1 instead of every interface. Plain JavaScript on purpose: loading a TypeScript loader into
// the proxy would add to the CPU and memory the bench measures for it.
import net from 'node:net';

const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') args.splice(1, 0, '127.0.0.1');
  } else if (first && typeof first === 'object' && first.host === undefined && first.path === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
