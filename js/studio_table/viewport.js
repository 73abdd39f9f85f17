// What this view shows, told to Python so the live refresh reads what is seen first
// (cswidgets/widgets/studio_table/refresher.py). One writer: the view, by message (never a trait, each view
// has its own):
//   {kind: "viewport", view, keys: [row key...]}  the studio rows on screen, debounced (scrolling, filtering)
//   {kind: "view", view, state: "hidden" | "visible"}  the page's document.visibilityState changed
// The messages of the view's life (open, alive, closed) are sent by index.js with the same `send`.

export const VIEWPORT_DEBOUNCE_MS = 150;

/**
 * @param {{send: (content: Record<string, any>) => void, doc?: Document, debounceMs?: number}} options
 *   `send(content)`: sends one message (index.js adds the view's id); `doc`: the page (its visibility).
 */
export function createViewportReporter({ send, doc = document, debounceMs = VIEWPORT_DEBOUNCE_MS }) {
  let sent = null; // the keys last told, joined
  /** @type {string[] | null} */
  let pending = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let hidden = doc.visibilityState === "hidden";
  let disposed = false;

  const flush = () => {
    timer = null;
    if (pending === null) return;
    const keys = pending;
    pending = null;
    const joined = keys.join("\n");
    if (joined === sent) return; // the same rows: nothing to tell
    sent = joined;
    send({ kind: "viewport", keys });
  };

  const onVisibility = () => {
    const now = doc.visibilityState === "hidden";
    if (now === hidden) return;
    hidden = now;
    send({ kind: "view", state: hidden ? "hidden" : "visible" });
  };
  doc.addEventListener("visibilitychange", onVisibility);

  return {
    /** Whether the page was hidden when the view opened (index.js then says so right after "open"). */
    get hidden() {
      return hidden;
    },
    /** The rows on screen now (called after every render): told once they stop changing for a moment. */
    report(keys) {
      if (disposed) return;
      pending = [...keys];
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(flush, debounceMs);
    },
    /** Send what is pending now (tests, and before the view closes). */
    flush() {
      if (timer !== null) clearTimeout(timer);
      flush();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = null;
      doc.removeEventListener("visibilitychange", onVisibility);
    },
  };
}
