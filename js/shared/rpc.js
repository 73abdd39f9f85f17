// Request/response over anywidget custom messages.
// The front end sends {kind, id, ...payload}; Python always answers
// {kind: "reply", id, ok: true, result} or {kind: "reply", id, ok: false, error}.
// The answer can wait behind a busy cell (the kernel reads the message once the cell ends; the
// handler then runs on the panel's own pool: cswidgets/widgets/shared/panel.py), so callers
// acknowledge a click at once (disable the button) and rely on the reply or the timeout.

let counter = 0;

export class RpcError extends Error {}

/** Create an RPC channel on `model`. Returns {call(kind, payload, {timeoutMs, buffers}), dispose()};
 * `buffers` (ArrayBuffers: an uploaded file) travel beside the message. */
export function createRpc(model, { timeoutMs = 120_000 } = {}) {
  const pending = new Map();
  const onMsg = (msg) => {
    if (msg?.kind !== "reply" || !pending.has(msg.id)) return;
    const { resolve, reject, timer } = pending.get(msg.id);
    pending.delete(msg.id);
    clearTimeout(timer);
    if (msg.ok) resolve(msg.result);
    else reject(new RpcError(msg.error || "The kernel reported an error."));
  };
  model.on("msg:custom", onMsg);
  return {
    call(kind, payload = {}, opts = {}) {
      counter += 1;
      const id = `${Date.now().toString(36)}-${counter}`;
      const ms = opts.timeoutMs ?? timeoutMs;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new RpcError(`No answer from the kernel after ${Math.round(ms / 1000)} s (is a cell still running?).`));
        }, ms);
        pending.set(id, { resolve, reject, timer });
        if (opts.buffers) model.send({ kind, id, ...payload }, undefined, opts.buffers);
        else model.send({ kind, id, ...payload });
      });
    },
    get pendingCount() {
      return pending.size;
    },
    dispose() {
      model.off("msg:custom", onMsg);
      for (const { timer, reject } of pending.values()) {
        clearTimeout(timer);
        reject(new RpcError("The view was closed."));
      }
      pending.clear();
    },
  };
}
