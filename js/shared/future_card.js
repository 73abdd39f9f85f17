// A progress card for one DSS task (template build, studio start/stop): the shared progress bar
// (./progress.js) with what a task needs beyond a bar: a title, a role="status" live region that
// announces stage changes and the final state (not every percent), the result summary, and an
// Abort button with an inline confirmation (two real buttons; Escape or "Keep running" cancels).
// Used by FutureProgress (one card) and TemplateBuilds (one card per build).
import { h } from "./dom.js";
import { createProgress } from "./progress.js";


const FINAL_TEXT = { done: "Done", failed: "Failed", aborted: "Aborted" };

/** The sentence the live region announces for a state, or "" when nothing worth saying changed. */
export function announcement(view = {}, final = "") {
  if (final) {
    const head = FINAL_TEXT[final] ?? final;
    return view?.message ? `${head}: ${view.message}` : head;
  }
  return view?.stage ? `Stage: ${view.stage}` : "";
}

/** "Failed at stage “Building image”: <DSS's message>" */
export function failureText(view = {}) {
  const where = view?.stage ? ` at stage “${view.stage}”` : "";
  return `Failed${where}: ${view?.message || "DSS gave no message."}`;
}

/**
 * A progress card. `onAbort()` is called after confirmation and returns a promise; while it is
 * pending the button says "Aborting…". `copy`: the abort confirmation's "Copy as Python" control
 * (shared/copy.js), or null. Returns {el, update(state), dispose()} where state is
 * {label, view, final, result_summary, abortable, abort_requested}.
 */
export function createFutureCard(
  /** @type {{label?: string, onAbort?: (() => Promise<unknown>) | null, onDismiss?: (() => unknown) | null, copy?: HTMLElement | null}} */
  { label = "Task", onAbort = null, onDismiss = null, copy = null } = {},
) {
  const title = h("span", { class: "csw-future-title", text: label });
  const finalBadge = h("span", { class: "csw-future-final" });
  const bar = createProgress({ label, showMessage: false }); // the message is shown once, below the bar
  // Announced to screen readers; the bar's visible label already shows the same stage.
  const status = h("div", { class: "csw-future-status csw-visually-hidden", role: "status", "aria-live": "polite" });
  const summary = h("div", { class: "csw-future-summary" });
  // A failure is shown in full, once, where the eye is: the stage it failed at and DSS's own message (wrapped:
  // never a horizontal scrollbar). An abort or an unknown outcome shows its message there too.
  const failure = h("div", { class: "csw-future-failure", hidden: true });
  let pending = false;
  let last = {};
  let spoken = "";

  const abortBtn = h("button", { type: "button", class: "csw-danger", "aria-label": `Abort ${label}` }, "Abort");
  const confirmBtn = h("button", { type: "button", class: "csw-danger" }, "Abort now");
  const keepBtn = h("button", { type: "button" }, "Keep running");
  const question = h("span", { text: "Abort this task?" });
  const confirm = h("span", { class: "csw-future-confirm", role: "group", "aria-label": "Confirm abort", hidden: true },
    question, confirmBtn, keepBtn, copy);
  const dismissBtn = onDismiss
    ? h("button", { type: "button", "aria-label": `Dismiss ${label}`, title: "Dismiss", hidden: true }, "×")
    : null;

  const closeConfirm = (refocus) => {
    confirm.hidden = true;
    abortBtn.hidden = !canAbort();
    if (refocus && !abortBtn.hidden) abortBtn.focus();
  };
  const canAbort = () => Boolean(onAbort) && !last.final && last.abortable !== false;
  abortBtn.addEventListener("click", () => {
    if (!canAbort() || pending) return;
    abortBtn.hidden = true;
    confirm.hidden = false;
    confirmBtn.focus();
  });
  keepBtn.addEventListener("click", () => closeConfirm(true));
  confirm.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      closeConfirm(true);
    }
  });
  confirmBtn.addEventListener("click", async () => {
    closeConfirm(false);
    if (!canAbort() || pending) return;
    pending = true;
    render();
    try {
      await onAbort?.();
    } catch {
      // the error is shown in the panel's alert region by the caller / Python side
    } finally {
      pending = false;
      render();
    }
  });
  dismissBtn?.addEventListener("click", () => onDismiss?.());

  const head = h("div", { class: "csw-future-head" }, title, finalBadge, abortBtn, confirm, dismissBtn);
  const el = h("div", { class: "csw-future" }, head, bar.el, failure, status, summary);

  function render() {
    const s = last;
    const final = s.final || "";
    el.dataset.final = final || "running";
    bar.update({ ...(s.view ?? {}), status: final || s.view?.status || "running" });
    finalBadge.textContent = final ? FINAL_TEXT[final] ?? final : "";
    summary.textContent = final === "done" ? s.result_summary || "" : "";
    const said = final === "failed" ? failureText(s.view) : final && final !== "done" ? s.view?.message || "" : "";
    failure.hidden = !said;
    failure.dataset.final = final;
    failure.textContent = said;
    const aborting = pending || (s.abort_requested && !final);
    abortBtn.textContent = aborting ? "Aborting…" : "Abort";
    abortBtn.disabled = aborting;
    if (!canAbort()) {
      abortBtn.hidden = true;
      confirm.hidden = true;
    } else if (confirm.hidden) abortBtn.hidden = false;
    if (dismissBtn) dismissBtn.hidden = !final;
    const sentence = announcement(s.view, final);
    if (sentence && sentence !== spoken) {
      spoken = sentence;
      status.textContent = sentence;
    }
  }

  return {
    el,
    update(state = {}) {
      last = { ...state };
      if (state.label && state.label !== title.textContent) {
        title.textContent = state.label;
        abortBtn.setAttribute("aria-label", `Abort ${state.label}`);
        bar.el.querySelector("[role=progressbar]")?.setAttribute("aria-label", state.label);
        dismissBtn?.setAttribute("aria-label", `Dismiss ${state.label}`);
      }
      render();
    },
    dispose() {
      pending = false;
    },
  };
}
