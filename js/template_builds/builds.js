// The running (and recently finished) builds of TemplateBuilds: one progress card per build,
// keyed by the build's key and updated in place (a focused Abort button keeps its focus).
import { h } from "../shared/dom.js";
import { createFutureCard } from "../shared/future_card.js";

/** Studios listed by name in the restart offer before "and N more". */
export const RESTART_NAMED = 5;

/**
 * "2 running studios run an outdated image of this template: a (alice), b (bob) — restart them?" (`names`: as
 * Python names them, the list cut after RESTART_NAMED with "and N more"; only these studios are restarted).
 * @param {number} count @param {string[]} [names]
 */
export function restartQuestion(count, names = []) {
  const more = names.length > RESTART_NAMED ? ` and ${names.length - RESTART_NAMED} more` : "";
  const who = names.length ? `: ${names.slice(0, RESTART_NAMED).join(", ")}${more}` : "";
  return `${count} running ${count === 1 ? "studio runs" : "studios run"} an outdated image of this template${who} — restart ${count === 1 ? "it" : "them"}? Until then ${count === 1 ? "it keeps" : "they keep"} the previous image.`;
}

/** "Restart the 2 outdated running studios". */
export function restartLabel(count) {
  return count === 1 ? "Restart the outdated running studio" : `Restart the ${count} outdated running studios`;
}

/**
 * createBuildList({onAbort(key), onDismiss(key), onRestart(key), copyCode(what, key)}) -> {el, update(builds), dispose()}.
 * `copyCode(what, key)`: the "Copy as Python" control (shared/copy.js) of "abort" (in the abort confirmation) or
 * "restart outdated" (beside the restart offer's button) of build `key`, or null.
 */
export function createBuildList(
  /** @type {{onAbort: (key: string) => Promise<unknown>, onDismiss: (key: string) => unknown, onRestart?: ((key: string) => Promise<unknown>) | null, copyCode?: ((what: string, key: string) => HTMLElement) | null}} */
  { onAbort, onDismiss, onRestart = null, copyCode = null },
) {
  const list = h("div", { class: "csw-tb-builds" });
  const el = h("section", { class: "csw-tb-builds-section", "aria-label": "Builds" }, list);
  const cards = new Map(); // key -> card

  function restartOffer(key) {
    const text = h("span");
    const button = h("button", { type: "button" });
    let busy = false;
    button.addEventListener("click", async () => {
      if (busy || !onRestart) return;
      busy = true;
      button.disabled = true;
      try {
        await onRestart(key);
      } catch {
        // reported by the kernel in the alerts
      } finally {
        busy = false;
        button.disabled = false;
      }
    });
    const el = h("div", { class: "csw-tb-restart", role: "group", "aria-label": "Restart the studios of this template", hidden: true }, text, button, copyCode ? copyCode("restart outdated", key) : null);
    return {
      el,
      update(keys, names = []) {
        el.hidden = keys.length === 0 || !onRestart;
        text.textContent = keys.length ? restartQuestion(keys.length, names) : "";
        button.textContent = restartLabel(keys.length);
      },
    };
  }

  return {
    el,
    update(builds = []) {
      const seen = new Set();
      let cursor = null;
      for (const build of builds) {
        seen.add(build.key);
        let card = cards.get(build.key);
        if (!card) {
          card = createFutureCard({
            label: build.label,
            onAbort: () => onAbort(build.key),
            onDismiss: () => onDismiss(build.key),
            copy: copyCode ? copyCode("abort", build.key) : null,
          });
          card.el.dataset.build = build.key;
          card.el.dataset.template = build.template_id;
          card.offer = restartOffer(build.key);
          card.el.append(card.offer.el);
          cards.set(build.key, card);
        }
        card.update(build);
        card.offer.update(build.restart ?? [], build.restart_names ?? []);
        const want = cursor ? cursor.nextSibling : list.firstChild;
        if (want !== card.el) list.insertBefore(card.el, want);
        cursor = card.el;
      }
      for (const [key, card] of cards) {
        if (!seen.has(key)) {
          card.dispose();
          card.el.remove();
          cards.delete(key);
        }
      }
      el.hidden = builds.length === 0;
    },
    dispose() {
      for (const card of cards.values()) card.dispose();
      cards.clear();
    },
  };
}
