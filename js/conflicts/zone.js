// One section per synced zone: name, path, direction, the check result, the Pull / Push /
// Check again buttons, the inline confirmation step, and the last operation's result.
// Every text from DSS (zone names, paths, authors, errors) is inserted as text.
import { h } from "../shared/dom.js";
import { DIRECTION, GROUPS, commitRange, confirmTitle, fileEffect, zoneSummary } from "./format.js";

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

function groups(zone) {
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
        h("div", { role: "group", "aria-labelledby": headId }, fileList(items, total)),
      );
    }),
  );
}

/** The confirmation step: says what will be overwritten (Python's sentence plus the file list),
 * with explicit Confirm / Cancel buttons. */
function confirmStep(op, zone, { onConfirm, onCancel, fresh }) {
  const titleId = nextId("confirm");
  const counts = zone.counts ?? {};
  const items = [];
  for (const [key] of GROUPS) {
    const total = counts[key] ?? (zone[key] ?? []).length;
    for (const path of zone[key] ?? []) {
      items.push(h("li", {}, h("span", { class: "csw-cv-file", text: path }), ` — ${fileEffect(op, key)}`));
    }
    const missing = total - (zone[key] ?? []).length;
    if (missing > 0) items.push(h("li", { class: "csw-cv-more", text: `… and ${missing} more ${key} files` }));
  }
  const confirmBtn = h("button", { type: "button", class: "csw-danger", dataset: { action: `confirm-${op}` }, onclick: onConfirm },
    `Confirm ${op}`);
  const cancelBtn = h("button", { type: "button", dataset: { action: "cancel" }, onclick: onCancel }, "Cancel");
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
      zone.confirm?.[op] || confirmTitle(op, zone)),
    items.length ? h("ul", { "aria-label": `Files ${op} will overwrite` }, items) : null,
    h("div", { class: "csw-cv-confirm-buttons" }, confirmBtn, cancelBtn),
  );
  return { box, confirmBtn };
}

/**
 * Build a zone section. `ui` = {pending (op sent, no answer yet), confirming ({op, zone, fresh}|null),
 * blocked (studio-wide operation running), onOp(op), onCheck(), onConfirm(), onCancel()}.
 * Returns {el, confirmBtn} (confirmBtn: the confirmation's button when the step is open).
 */
export function renderZone(zone, ui) {
  const headId = nextId("zone");
  const dirPullId = nextId("dir");
  const dirPushId = nextId("dir");
  const busy = ui.pending || zone.busy || null;
  const disabled = Boolean(busy) || Boolean(ui.blocked) || Boolean(ui.confirming);
  const oneWay = Boolean(zone.one_way);

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
    actions.append(h("span", { class: "csw-cv-dir", text: "One-way zone (DSS → code studio): nothing to pull." }));
  } else {
    actions.append(button("pull", "Pull", `${dirPullId} ${headId}`),
      h("span", { class: "csw-cv-dir", id: dirPullId, text: DIRECTION.pull }));
  }
  actions.append(button("push", "Push", `${dirPushId} ${headId}`),
    h("span", { class: "csw-cv-dir", id: dirPushId, text: DIRECTION.push }));
  actions.append(h("button", { type: "button", dataset: { action: "check" }, "aria-describedby": headId,
    disabled: (Boolean(busy) || Boolean(ui.blocked)) || undefined, onclick: () => ui.onCheck() }, "Check again"));

  let confirm = null;
  if (ui.confirming) confirm = confirmStep(ui.confirming.op, ui.confirming.zone ?? zone, { ...ui.confirming.handlers, fresh: ui.confirming.fresh });

  const busyText = busy ? { check: "Checking…", pull: "Pulling (code studio → DSS)…", push: "Pushing (DSS → code studio)…" }[busy] : "";
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
        title: oneWay ? "DSS → code studio only" : "code studio ⇄ DSS" })),
    h("div", { class: "csw-cv-summary", text: zoneSummary(zone) }),
    meta.length ? h("div", { class: "csw-cv-meta", text: meta.join(" · ") }) : null,
    zone.status === "conflicts" ? groups(zone) : null,
    actions,
    confirm?.box ?? null,
    h("div", { class: "csw-cv-result", role: "status", "aria-live": "polite",
      dataset: { ok: busy ? undefined : result ? String(result.ok !== false) : undefined }, text: resultText }),
  );
  return { el, confirmBtn: confirm?.confirmBtn ?? null };
}
