// A plain-object stand-in for the anywidget model (get/set/on/off/save_changes/send),
// with helpers to act as the kernel: emit(event, ...args), reply(kind-matching answer).
export function makeFakeModel(initial = {}) {
  const state = { ...initial };
  const listeners = new Map();
  const sent = [];
  const model = {
    sent,
    saves: 0,
    get: (key) => state[key],
    set(key, value) {
      state[key] = value;
      model.emit(`change:${key}`, value);
    },
    save_changes() {
      model.saves += 1;
    },
    send(msg) {
      sent.push(msg);
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    },
    off(event, fn) {
      if (!event) return listeners.clear();
      if (!fn) return listeners.delete(event);
      listeners.get(event)?.delete(fn);
    },
    emit(event, ...args) {
      for (const fn of [...(listeners.get(event) ?? [])]) fn(...args);
    },
    /** Answer the last message sent of `kind` as the Python side would. */
    reply(kind, { ok = true, result = null, error = null } = {}) {
      const msg = [...sent].reverse().find((m) => m.kind === kind);
      if (!msg) throw new Error(`nothing of kind ${kind} was sent`);
      model.emit("msg:custom", { kind: "reply", id: msg.id, ok, result, error });
    },
    listenerCount() {
      let n = 0;
      for (const set of listeners.values()) n += set.size;
      return n;
    },
  };
  return model;
}
