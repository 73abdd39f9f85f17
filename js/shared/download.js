// Downloads made by the kernel: a panel sends {kind: "download", name, mime} with the file as buffers (a
// template's archive) or as `text` (the studio table's CSV); the browser saves it through a Blob behind a
// temporary object URL and an <a download>. One place for every panel.
import { h } from "./dom.js";

/** Save `parts` (ArrayBuffers, DataViews or strings) as a file named `name`; returns the Blob. */
export function saveDownload(name, mime, parts) {
  const blob = new Blob(parts ?? [], { type: mime || "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { download: name || "download", hidden: true });
  link.href = url; // a blob: URL made here, not a link from DSS
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return blob;
}

/**
 * Save every {kind: "download"} message `model` receives (its `text`, else its buffers). Returns the function
 * that stops listening.
 */
export function listenForDownloads(model) {
  const onMsg = (msg, buffers) => {
    if (msg?.kind !== "download") return;
    saveDownload(msg.name, msg.mime, typeof msg.text === "string" ? [msg.text] : buffers);
  };
  model.on("msg:custom", onMsg);
  return () => model.off("msg:custom", onMsg);
}
