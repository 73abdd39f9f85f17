// A plain-object stand-in for the anywidget model (get/set/on/off/save_changes/send),
// `sent` holds the messages the view sent (render reports apart, in `reports`; the rows-on-screen reports,
// debounced by the view and so arriving at any moment, apart in `viewports`),
// with helpers to act as the kernel: emit(event, ...args), reply(kind-matching answer).
// `saved` lists the traits the view wrote (set + save_changes), to check who writes which trait;
// a test acting as the kernel uses set() alone.
export function makeFakeModel(initial = {}) {
  const state = { ...initial };
  const listeners = new Map();
  const sent = [];
  const reports = []; // {kind: "rendered"}: a view's render report (js/shared/rendered.js), not an action
  const viewports = []; // {kind: "viewport"}: the rows on screen (js/studio_table/viewport.js), not an action
  let unsaved = new Set();
  const model = {
    sent,
    reports,
    viewports,
    saves: 0,
    saved: [],
    get: (key) => state[key],
    set(key, value) {
      state[key] = value;
      unsaved.add(key);
      model.emit(`change:${key}`, value);
    },
    save_changes() {
      model.saves += 1;
      model.saved.push(...unsaved);
      unsaved = new Set();
    },
    send(msg, _callbacks, buffers) {
      if (msg?.kind === "rendered") return void reports.push(msg);
      if (msg?.kind === "viewport") return void viewports.push(msg);
      sent.push(buffers ? { ...msg, buffers } : msg);
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

/** Act as Python for "select" messages: apply each unanswered change to `trait` in order (keys in
 * `known` only, like the panel), then reply to it. Returns how many were answered. */
export function answerSelects(model, trait, known) {
  model.answered ??= new Set();
  let n = 0;
  for (const msg of model.sent) {
    if (msg.kind !== "select" || model.answered.has(msg.id)) continue;
    model.answered.add(msg.id);
    const gone = new Set(msg.remove);
    const kept = msg.clear ? [] : (model.get(trait) ?? []).filter((k) => !gone.has(k));
    model.set(trait, [...new Set([...kept, ...msg.add.filter((k) => known.includes(k))])]);
    model.emit("msg:custom", { kind: "reply", id: msg.id, ok: true, result: { selected: model.get(trait).length } });
    n += 1;
  }
  return n;
}
