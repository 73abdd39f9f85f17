// The running (and recently finished) builds of TemplateBuilds: one progress card per build,
// keyed by the build's key and updated in place (a focused Abort button keeps its focus).
import { h } from "../shared/dom.js";
import { createFutureCard } from "../shared/future_card.js";

/** createBuildList({onAbort(key), onDismiss(key)}) -> {el, update(builds), dispose()}. */
export function createBuildList({ onAbort, onDismiss }) {
  const list = h("div", { class: "csw-tb-builds" });
  const el = h("section", { class: "csw-tb-builds-section", "aria-label": "Builds" }, list);
  const cards = new Map(); // key -> card

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
          });
          card.el.dataset.build = build.key;
          card.el.dataset.template = build.template_id;
          cards.set(build.key, card);
        }
        card.update(build);
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
