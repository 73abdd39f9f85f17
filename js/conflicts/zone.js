// One section per synced zone: name, path, direction, the check result, the Pull / Push /
// Check again buttons, the inline confirmation step, and the last operation's result.
// Every text from DSS (zone names, paths, authors, errors) is inserted as text.
import { h } from "../shared/dom.js";
import { diffBlock, dssChanges } from "./changes.js";
import { GROUPS, commitRange, fileEffect, zoneSummary } from "./format.js";

let uid = 0;
const nextId = (prefix) => {
  uid += 1;
  return `csw-cv-${prefix}-${uid}`;
};

function fileList(items, total, className = "") {
  const list = h("ul", { class: className }, items.map((path) => h("li", {}, h("span", { class: "csw-cv-file", text: path }))));
  if (total > items.length) list.append(h("li", { class: "csw-cv-more", text: `… and ${total - items.length} more` }));
  return list;
}

/** Both sides of one conflicting file, side by side: DSS's (its diff since the last sync, from DSS's git) and
 * the code studio's (DSS's API cannot read it: what is known and the exact command that shows it), then how to
 * keep one side. `state` is DSS's diff state (see changes.js) or null before it is read. */
function bothSides(zone, path, state, texts, onShowAll) {
  const dssKnown = zone.dss_known !== false;
  const changed = (zone.dss_changes ?? []).find((c) => c.path === path);
  let dss;
  if (!dssKnown) dss = h("p", { class: "csw-cv-diff-note", text: `DSS's version cannot be read: ${zone.dss_why || "DSS did not say"}.` });
  else if (!changed && (zone.dss_changes ?? []).length >= (zone.dss_count ?? 0)) {
    dss = h("p", { class: "csw-cv-diff-note", text: "DSS's git shows no change to this file since the last sync." });
  } else dss = diffBlock(path, state ?? { loading: true }, onShowAll);
  const cmd = zone.studio_commands?.[path] ?? null;
  const code = (text) => h("pre", { class: "csw-cv-cmd" }, h("code", { text }));
  return h("div", { class: "csw-cv-sides", dataset: { path } },
    h("div", { class: "csw-cv-side", dataset: { side: "dss" } },
      h("h6", { text: changed ? `DSS's version — ${changed.change} in DSS${changed.authors?.length ? ` by ${changed.authors.join(", ")}` : ""}` : "DSS's version" }),
      dss),
    h("div", { class: "csw-cv-side", dataset: { side: "studio" } },
      h("h6", { text: "The code studio's version" }),
      h("p", { text: texts.studio_side }),
      cmd ? code(cmd.show) : null,
      h("p", { text: texts.keep }),
      cmd ? code(cmd.save) : null));
}

function groups(zone, compare, texts) {
  const counts = zone.counts ?? {};
  const shown = GROUPS.filter(([key]) => (counts[key] ?? zone[key]?.length ?? 0) > 0);
  if (!shown.length) return null;
  return h(
    "div",
    { class: "csw-cv-groups" },
    shown.map(([key, label]) => {
      const items = zone[key] ?? [];
      const total = counts[key] ?? items.length;
      const headId = nextId("grp");
      return h(
        "div",
        { class: "csw-cv-group", dataset: { change: key } },
        h("h5", { id: headId, text: `${label} in the code studio (${total})` }),
        h("div", { role: "group", "aria-labelledby": headId }, compare ? compareList(zone, key, items, total, compare, texts) : fileList(items, total)),
      );
    }),
  );
}

/** The conflicting files of one change kind, each with a "Compare" toggle that opens both sides. */
function compareList(zone, kind, items, total, compare, texts) {
  const list = h("ul", {}, items.map((path) => {
    const open = compare.open.has(path);
    const toggle = h("button", { type: "button", class: "csw-cv-diff-toggle", "aria-expanded": open ? "true" : "false",
      dataset: { action: "compare", path }, onclick: () => compare.onToggle(path) },
      h("span", { class: "csw-cv-file", text: path }));
    return h("li", { dataset: { path, change: kind } }, toggle, h("span", { class: "csw-cv-change", text: " compare both sides" }),
      open ? bothSides(zone, path, compare.states.get(path) ?? null, texts, () => compare.onShowAll(path)) : null);
  }));
  if (total > items.length) list.append(h("li", { class: "csw-cv-more", text: `… and ${total - items.length} more` }));
  return list;
}

/** The lines of a confirmation's file list: for a pull every DSS-side change (what it may overwrite)
 * then the conflicts not among them; for a push the conflicts. */
function confirmItems(op, zone) {
  const counts = zone.counts ?? {};
  const items = [];
  const listed = new Set();
  if (op === "pull") {
    for (const c of zone.dss_changes ?? []) {
      listed.add(c.path);
      const who = c.authors?.length ? ` by ${c.authors.join(", ")}` : "";
      items.push(h("li", { dataset: { path: c.path } }, h("span", { class: "csw-cv-file", text: c.path }),
        ` — ${c.change} in DSS${who}: ${c.conflict ? "also changed in the code studio, whose version will replace it" : "may be overwritten"}`));
    }
    const missing = (zone.dss_count ?? 0) - (zone.dss_changes ?? []).length;
    if (missing > 0) items.push(h("li", { class: "csw-cv-more", text: `… and ${missing} more DSS-side changes` }));
  }
  for (const [key] of GROUPS) {
    const total = counts[key] ?? (zone[key] ?? []).length;
    for (const path of zone[key] ?? []) {
      if (listed.has(path)) continue;
      items.push(h("li", { dataset: { path } }, h("span", { class: "csw-cv-file", text: path }), ` — ${fileEffect(op, key)}`));
    }
    const missing = total - (zone[key] ?? []).length;
    if (missing > 0) items.push(h("li", { class: "csw-cv-more", text: `… and ${missing} more ${key} files` }));
  }
  return items;
}

/** The pull confirmation's "Download DSS's versions (zip)" (`zone.backup`, Python's offer: only for a zone whose
 * DSS side DSS's API can read), what it cannot include, and the outcome of a download (`state`: {pending, result,
 * error} or null). Every path is text. */
function backupBlock(offer, state, onBackup) {
  const pending = Boolean(state?.pending);
  const button = h("button", { type: "button", dataset: { action: "download-dss" }, disabled: pending || undefined,
    onclick: () => {
      if (!button.disabled) onBackup?.();
    } }, pending ? "Reading DSS's versions…" : offer.button);
  const missing = offer.missing?.length
    ? [h("p", { class: "csw-cv-meta", text: offer.missing_note }),
      h("ul", { class: "csw-cv-backup-missing" }, offer.missing.map((p) => h("li", {}, h("span", { class: "csw-cv-file", text: p }))))]
    : [];
  let outcome = null;
  const res = state?.result;
  if (res) {
    const n = res.read?.length ?? 0;
    const left = Object.entries(res.not_read ?? {});
    outcome = h("div", { class: "csw-cv-backup-result", role: "status", dataset: { ok: "true" } },
      h("p", { text: `Downloaded ${res.name}: DSS's version of ${n} file${n === 1 ? "" : "s"}.` }),
      left.length ? h("p", { text: "Not included:" }) : null,
      left.length ? h("ul", {}, left.map(([p, why]) => h("li", {}, h("span", { class: "csw-cv-file", text: p }), ` — ${why}`))) : null);
  } else if (state?.error) {
    outcome = h("p", { class: "csw-cv-backup-result", role: "status", dataset: { ok: "false" },
      text: `Could not download DSS's versions: ${state.error}` });
  }
  return h("div", { class: "csw-cv-backup" }, h("p", { text: offer.note }), ...missing, button, outcome);
}

/** @typedef {{pending?: boolean, result?: {name: string, read: string[], not_read: Record<string, string>}, error?: string}} BackupState */

/** The confirmation step: says what will be overwritten (Python's sentence plus the file list),
 * with explicit Confirm / Cancel buttons; focus goes to Cancel (Enter, Enter never syncs). A zone
 * that is not versioned also asks for its name to be typed before Confirm enables. A pull of a zone Python
 * offers DSS's versions for (`zone.backup`) shows the download (`backup`: its state), and no pull while it runs.
 * `copy(op)`: the "Copy as Python" control shown beside the buttons (shared/copy.js).
 * @param {string} op
 * @param {any} zone
 * @param {{onConfirm: () => void, onCancel: () => void, onTyped?: (v: string) => void, onBackup?: () => void,
 *   copy?: ((op: string) => HTMLElement) | null, typed?: string, fresh?: boolean, backup?: BackupState | null}} handlers
 */
function confirmStep(op, zone, { onConfirm, onCancel, onTyped, onBackup, copy = null, typed = "", fresh, backup = null }) {
  const titleId = nextId("confirm");
  const items = confirmItems(op, zone);
  const name = zone.label || zone.type || zone.key;
  const guarded = zone.versioned === false;
  const saving = Boolean(backup?.pending); // no pull while DSS's versions are being read
  const confirmBtn = h("button", { type: "button", class: "csw-danger", dataset: { action: `confirm-${op}` },
    disabled: (guarded && typed !== name) || saving || undefined, onclick: () => {
      if (!confirmBtn.disabled) onConfirm();
    } }, `Confirm ${op}`);
  const cancelBtn = h("button", { type: "button", dataset: { action: "cancel" }, onclick: onCancel }, "Cancel");
  let guard = null;
  if (guarded) {
    const inputId = nextId("typed");
    const input = h("input", { id: inputId, type: "text", autocomplete: "off", spellcheck: "false", value: typed,
      dataset: { action: "type-name" },
      oninput: () => {
        onTyped?.(input.value);
        confirmBtn.disabled = input.value !== name || saving;
      },
      // Enter submits once the name is typed (JupyterLab's dialogs: Enter accepts); Escape cancels (below)
      onkeydown: (event) => {
        if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
        event.preventDefault();
        event.stopPropagation();
        if (!confirmBtn.disabled) onConfirm();
      } });
    // the sentence above already says it cannot be undone (once): the guard only asks for the name
    guard = h("div", { class: "csw-cv-guard" },
      h("label", { for: inputId }, "Type the zone's name, ", h("strong", { text: name }), ", to confirm: "), input);
  }
  const box = h(
    "div",
    {
      class: "csw-cv-confirm",
      role: "group",
      "aria-labelledby": titleId,
      dataset: { op },
      onkeydown: (event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onCancel();
        }
      },
    },
    h("p", { id: titleId },
      fresh ? h("strong", { text: "The zone changed since it was last checked. " }) : null,
      zone.confirm?.[op]),
    items.length ? h("ul", { "aria-label": `Files ${op} may overwrite` }, items) : null,
    zone.confirm_restore?.[op] ? h("p", { class: "csw-cv-back", text: zone.confirm_restore[op] }) : null,
    op === "pull" && zone.backup ? backupBlock(zone.backup, backup, onBackup) : null,
    guard,
    h("div", { class: "csw-cv-confirm-buttons" }, confirmBtn, cancelBtn, copy ? copy(op) : null),
  );
  return { box, confirmBtn, cancelBtn };
}

/**
 * Build a zone section. `ui` = {pending (op sent, no answer yet), confirming ({op, zone, fresh}|null),
 * blocked (studio-wide operation running), onOp(op), onCheck(), diffs ({diffs, onToggle, onShowAll}: the DSS-side
 * changes' diffs, see changes.js), texts (the `texts` trait: Python's wording)}. Returns {el, confirmBtn, cancelBtn} (the confirmation's buttons when open).
 */
export function renderZone(zone, ui) {
  const headId = nextId("zone");
  const dirPullId = nextId("dir");
  const dirPushId = nextId("dir");
  const busy = ui.pending || zone.busy || null;
  const disabled = Boolean(busy) || Boolean(ui.blocked) || Boolean(ui.confirming);
  const oneWay = Boolean(zone.one_way);
  const texts = ui.texts;

  const meta = [];
  if (zone.status === "conflicts" || zone.status === "clean") {
    const range = commitRange(zone);
    if (range) meta.push(range);
    if (zone.authors?.length) meta.push(`changed in DSS by ${zone.authors.join(", ")}`);
  }

  const button = (op, label, describedBy) =>
    h("button", { type: "button", dataset: { action: op }, "aria-describedby": describedBy, disabled: disabled || undefined,
      onclick: () => ui.onOp(op) }, label);

  const actions = h("div", { class: "csw-cv-actions" });
  if (oneWay) {
    actions.append(h("span", { class: "csw-cv-dir", text: texts.one_way }));
  } else {
    actions.append(button("pull", "Pull", `${dirPullId} ${headId}`),
      h("span", { class: "csw-cv-dir", id: dirPullId, text: texts.direction.pull }));
  }
  actions.append(button("push", "Push", `${dirPushId} ${headId}`),
    h("span", { class: "csw-cv-dir", id: dirPushId, text: texts.direction.push }));
  actions.append(h("button", { type: "button", dataset: { action: "check" }, "aria-describedby": headId,
    disabled: (Boolean(busy) || Boolean(ui.blocked)) || undefined, onclick: () => ui.onCheck() }, "Check again"));

  let confirm = null;
  if (ui.confirming) {
    confirm = confirmStep(ui.confirming.op, ui.confirming.zone ?? zone,
      { ...ui.confirming.handlers, typed: ui.confirming.typed ?? "", fresh: ui.confirming.fresh,
        backup: ui.confirming.backup ?? null });
  }

  const busyText = busy
    ? { check: "Checking…", pull: `Pulling (${texts.direction.pull})…`, push: `Pushing (${texts.direction.push})…`,
      download: "Reading DSS's versions…" }[busy] ?? ""
    : "";
  const result = zone.result;
  const resultText = busyText || (result?.text ?? "");
  const el = h(
    "section",
    { class: "csw-cv-zone", "aria-labelledby": headId, tabindex: "-1", "aria-busy": busy ? "true" : undefined,
      dataset: { key: zone.key, status: zone.status || "unchecked" } },
    h("div", { class: "csw-cv-zone-head" },
      h("h4", { class: "csw-cv-zone-name", id: headId, text: zone.label || zone.type || zone.key }),
      h("span", { class: "csw-cv-path", text: zone.path || "" }),
      h("span", { class: "csw-badge", text: oneWay ? "one-way" : "two-way",
        title: oneWay ? `${texts.direction.push} only` : "code studio ⇄ DSS" })),
    h("div", { class: "csw-cv-summary", text: zoneSummary(zone) }),
    meta.length ? h("div", { class: "csw-cv-meta", text: meta.join(" · ") }) : null,
    zone.status === "conflicts" ? groups(zone, ui.compare ?? null, texts) : null,
    dssChanges(zone, ui.diffs ?? { diffs: new Map(), onToggle: () => {}, onShowAll: () => {} }),
    actions,
    confirm?.box ?? null,
    h("div", { class: "csw-cv-result", role: "status", "aria-live": "polite",
      dataset: { ok: busy ? undefined : result ? String(result.ok !== false) : undefined }, text: resultText }),
  );
  return { el, confirmBtn: confirm?.confirmBtn ?? null, cancelBtn: confirm?.cancelBtn ?? null };
}
