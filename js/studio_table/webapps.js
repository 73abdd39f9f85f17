// The webapps a studio publishes, opened from its row's "Webapps" button: a box under the toolbar listing each
// webapp with its backend state, a link to its DSS page (http(s) only, in a new tab) and Start/Restart and Stop.
// The list is the kernel's answer to {kind: "webapps", row}; an action is {kind: "webapp", row, webapp, op},
// answered with the list as DSS shows it after (cswidgets/widgets/studio_table/webapps.py). Every text from DSS
// is set as text.
import { clear, h, safeHref } from "../shared/dom.js";

/** "running" / "stopped" / "state unknown". */
export function webappState(webapp) {
  if (webapp.running === true) return "running";
  if (webapp.running === false) return "stopped";
  return "state unknown";
}

/**
 * createWebappsBox({rpc, report(err)}) -> {el, open(row), close(), dispose()}.
 * @param {{rpc: {call: (kind: string, payload?: any) => Promise<any>}, report: (err: unknown) => void}} deps
 */
export function createWebappsBox({ rpc, report }) {
  const title = h("strong", { class: "csw-st-webapps-title" });
  const list = h("ul", { class: "csw-st-webapps-list" });
  const status = h("span", { class: "csw-st-muted", role: "status" });
  const closeBtn = h("button", { type: "button", onclick: () => close() }, "Close");
  const el = h("section", { class: "csw-st-webapps", "aria-label": "Webapps of a studio", hidden: true }, h("div", { class: "csw-st-webapps-head" }, title, status, closeBtn), list);
  let current = null; // the row shown
  let busy = false;

  function render(webapps) {
    clear(list);
    if (!webapps.length) list.append(h("li", { class: "csw-st-muted", text: "No webapp is published from this studio." }));
    for (const w of webapps) {
      const name = w.name || w.id;
      const href = safeHref(w.url);
      const state = webappState(w);
      list.append(
        h(
          "li",
          { dataset: { webapp: w.id, state } },
          h("span", { class: "csw-st-webapp-name", text: name }),
          " ",
          h("span", { class: `csw-badge csw-st-webapp-${state.replace(" ", "-")}`, text: state, title: w.error ?? "" }),
          " ",
          href ? h("a", { href, target: "_blank", rel: "noopener noreferrer", "aria-label": `Open ${name} in DSS`, text: "open" }) : null,
          " ",
          h("button", { type: "button", disabled: busy, onclick: () => act(w, w.running ? "restart" : "start") }, w.running ? `Restart ${name}` : `Start ${name}`),
          " ",
          h("button", { type: "button", class: "csw-danger", disabled: busy || w.running === false, onclick: () => act(w, "stop") }, `Stop ${name}`),
        ),
      );
    }
  }

  async function act(webapp, op) {
    if (busy || !current) return;
    busy = true;
    const row = current;
    status.textContent = `${op === "stop" ? "Stopping" : op === "restart" ? "Restarting" : "Starting"} ${webapp.name || webapp.id}…`;
    for (const b of list.querySelectorAll("button")) b.disabled = true;
    try {
      const result = await rpc.call("webapp", { row: row.key, webapp: webapp.id, op });
      busy = false;
      if (current === row) render(result?.webapps ?? []);
      status.textContent = "";
    } catch (err) {
      busy = false;
      status.textContent = "";
      report(err);
      if (current === row) load(row);
    }
  }

  async function load(row) {
    status.textContent = "Reading…";
    try {
      const result = await rpc.call("webapps", { row: row.key });
      if (current !== row) return;
      status.textContent = "";
      render(result?.webapps ?? []);
    } catch (err) {
      if (current === row) status.textContent = "";
      report(err);
    }
  }

  function open(row) {
    current = row;
    title.textContent = `Webapps of ${row.name || row.id || row.key}`;
    clear(list);
    el.hidden = false;
    load(row);
  }

  function close() {
    current = null;
    el.hidden = true;
    clear(list);
  }

  return { el, open, close, dispose: close };
}
