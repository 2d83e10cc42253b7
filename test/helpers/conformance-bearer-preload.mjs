// Preloaded (`node --import`) into the conformance CLI when it runs against the Airlock gateway.
//
// The CLI has no option for request headers: its server scenarios connect with a bare
// `new StreamableHTTPClientTransport(new URL(url))`, plain `fetch` and `undici.request`. Airlock
// rightly refuses agents without a client token, so this module presents one, the way any agent
// does: it installs a global undici dispatcher (used by Node's `fetch` and by undici alike) that adds
// `Authorization: Bearer $AIRLOCK_CONFORMANCE_BEARER` to requests for the origin in
// `$AIRLOCK_CONFORMANCE_ORIGIN`, and to no other. Nothing else about the requests changes.
//
// Plain JavaScript on purpose: it runs inside the suite's own Node (>= 22), without tsx.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const token = process.env.AIRLOCK_CONFORMANCE_BEARER;
const origin = process.env.AIRLOCK_CONFORMANCE_ORIGIN;
if (!token || !origin) throw new Error('AIRLOCK_CONFORMANCE_BEARER and AIRLOCK_CONFORMANCE_ORIGIN must be set');

// The suite's own undici (a dependency of @modelcontextprotocol/conformance), found from the runner package.
const requireFromRunner = createRequire(new URL('../conformance-runner/package.json', import.meta.url));
const { Agent, setGlobalDispatcher } = (await import(pathToFileURL(requireFromRunner.resolve('undici')).href)).default;

/** Returns `headers` (any of undici's accepted shapes) plus the bearer token, unless one is already there. */
function withBearer(headers) {
  const pairs = [];
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) pairs.push(...headers);
    else for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]]);
  } else if (headers != null && typeof headers[Symbol.iterator] === 'function') {
    pairs.push(...headers);
  } else if (headers != null) {
    pairs.push(...Object.entries(headers));
  }
  if (!pairs.some(([name]) => String(name).toLowerCase() === 'authorization')) {
    pairs.push(['authorization', `Bearer ${token}`]);
  }
  return pairs.flat();
}

const bearer = (dispatch) => (options, handler) =>
  dispatch(new URL(String(options.origin)).origin === origin ? { ...options, headers: withBearer(options.headers) } : options, handler);

setGlobalDispatcher(new Agent().compose(bearer));
