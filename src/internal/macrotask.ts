// Runs a callback on a later turn of the event loop, after pending I/O and timers: setImmediate
// on Node; a MessageChannel in browsers (setTimeout(0) is clamped to 4 ms once nested there).

type Callback = () => void;

function channelScheduler(): (fn: Callback) => void {
  const queue: Callback[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(0);
  };
}

/** Schedules `fn` as a macrotask. */
export const macrotask: (fn: Callback) => void =
  typeof setImmediate === 'function'
    ? (fn) => void setImmediate(fn)
    : typeof MessageChannel === 'function'
      ? channelScheduler()
      : (fn) => void setTimeout(fn, 0);
