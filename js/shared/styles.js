// The shared theme: JupyterLab theme variables with fallbacks, dark theme from
// body[data-jp-theme-light="false"], VS Code's theme from its body classes (vscode-light, vscode-dark,
// vscode-high-contrast[-light]) and --vscode-* variables (VS Code reports a light prefers-color-scheme
// whatever its theme), or prefers-color-scheme elsewhere, and the styles of
// the components every panel uses (alerts, badges, progress bars, task cards). All classes csw-.
// It is added once per page, or per shadow root (ensureTheme); each panel's own styles are js/<panel>/style.css,
// which the build emits as cswidgets/static/<panel>.css and anywidget loads once per panel class
// (the widget's `_css`).
export const themeCss = `
.csw-root {
  --csw-bg: var(--jp-layout-color1, #fff);
  --csw-bg-alt: var(--jp-layout-color2, #f5f5f5);
  --csw-fg: var(--jp-ui-font-color1, rgba(0,0,0,.87));
  --csw-fg-muted: var(--jp-ui-font-color2, rgba(0,0,0,.54));
  --csw-border: var(--jp-border-color1, #bdbdbd);
  --csw-accent: var(--jp-brand-color1, #1976d2);
  --csw-ok: var(--jp-success-color1, #388e3c);
  --csw-warn: var(--jp-warn-color1, #f57c00);
  --csw-err: var(--jp-error-color1, #d32f2f);
  --csw-info: var(--jp-info-color1, #0097a7);
  /* text in a state colour: >= 4.5:1 on --csw-bg and --csw-bg-alt in both themes (WCAG AA) */
  --csw-ok-text: #1b5e20; --csw-warn-text: #8a4500; --csw-err-text: #b71c1c; --csw-aborted-text: #6a1b9a;
  --csw-link: #0b57a4;
  font-family: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
  color: var(--csw-fg);
  background: var(--csw-bg);
  box-sizing: border-box;
}
@media (prefers-color-scheme: dark) {
  body:not([data-jp-theme-light]):not(.vscode-light):not(.vscode-high-contrast-light) .csw-root {
    --csw-bg: #1e1e1e; --csw-bg-alt: #2a2a2a; --csw-fg: #e0e0e0; --csw-fg-muted: #a0a0a0;
    --csw-border: #555; --csw-accent: #64b5f6; --csw-ok: #81c784; --csw-warn: #ffb74d;
    --csw-err: #e57373; --csw-info: #4dd0e1;
    --csw-ok-text: #81c784; --csw-warn-text: #ffb74d; --csw-err-text: #ff8a80; --csw-aborted-text: #ce93d8;
    --csw-link: #90caf9;
  }
}
body[data-jp-theme-light="false"] .csw-root {
  --csw-bg: var(--jp-layout-color1, #1e1e1e); --csw-bg-alt: var(--jp-layout-color2, #2a2a2a);
  --csw-fg: var(--jp-ui-font-color1, #e0e0e0); --csw-fg-muted: var(--jp-ui-font-color2, #a0a0a0);
  --csw-ok-text: #81c784; --csw-warn-text: #ffb74d; --csw-err-text: #ff8a80; --csw-aborted-text: #ce93d8;
  --csw-link: #90caf9;
}
/* the classic-notebook loader's output, emptied when its cell ended (cswidgets/widgets/shared/classic.py) */
.output_area:has(.csw-classic-loader-emptied), .jp-OutputArea-child:has(.csw-classic-loader-emptied) {
  display: none;
}
/* VS Code (its notebooks' output pane): the editor's own colours, dark palette as the fallback */
body.vscode-dark .csw-root, body.vscode-high-contrast:not(.vscode-high-contrast-light) .csw-root {
  --csw-bg: var(--vscode-editor-background, #1e1e1e);
  --csw-bg-alt: var(--vscode-editorWidget-background, var(--vscode-sideBar-background, #2a2a2a));
  --csw-fg: var(--vscode-editor-foreground, #e0e0e0);
  --csw-fg-muted: var(--vscode-descriptionForeground, #a0a0a0);
  --csw-border: var(--vscode-contrastBorder, var(--vscode-widget-border, var(--vscode-panel-border, #555)));
  --csw-accent: var(--vscode-focusBorder, #64b5f6); --csw-ok: #81c784; --csw-warn: #ffb74d;
  --csw-err: var(--vscode-errorForeground, #e57373); --csw-info: #4dd0e1;
  --csw-ok-text: #81c784; --csw-warn-text: #ffb74d; --csw-err-text: #ff8a80; --csw-aborted-text: #ce93d8;
  --csw-link: var(--vscode-textLink-foreground, #90caf9);
  font-family: var(--vscode-font-family, system-ui, sans-serif);
}
body.vscode-light .csw-root, body.vscode-high-contrast-light .csw-root {
  --csw-bg: var(--vscode-editor-background, #fff);
  --csw-bg-alt: var(--vscode-editorWidget-background, #f5f5f5);
  --csw-fg: var(--vscode-editor-foreground, rgba(0,0,0,.87));
  --csw-fg-muted: var(--vscode-descriptionForeground, rgba(0,0,0,.54));
  --csw-border: var(--vscode-contrastBorder, var(--vscode-widget-border, #bdbdbd));
  --csw-accent: var(--vscode-focusBorder, #1976d2);
  font-family: var(--vscode-font-family, system-ui, sans-serif);
}
.csw-root *, .csw-root *::before, .csw-root *::after { box-sizing: inherit; }
.csw-root button {
  font: inherit; color: var(--csw-fg); background: var(--csw-bg-alt);
  border: 1px solid var(--csw-border); border-radius: 3px; padding: 2px 8px; cursor: pointer;
}
.csw-root button:hover:not(:disabled) { border-color: var(--csw-accent); }
.csw-root button:focus-visible, .csw-root input:focus-visible, .csw-root select:focus-visible {
  outline: 2px solid var(--csw-accent); outline-offset: 1px;
}
.csw-root button:disabled { opacity: .55; cursor: default; }
.csw-root button.csw-danger { color: var(--csw-err-text); }
.csw-root input, .csw-root select {
  font: inherit; color: var(--csw-fg); background: var(--csw-bg);
  border: 1px solid var(--csw-border); border-radius: 3px; padding: 2px 6px;
}
.csw-alerts:empty { display: none; }
.csw-updated { font-size: 0.85em; opacity: 0.7; text-align: right; }
.csw-updated[hidden] { display: none; }
.csw-alert {
  display: flex; gap: 8px; align-items: flex-start; margin: 4px 0; padding: 6px 8px;
  border-left: 4px solid var(--csw-err); background: var(--csw-bg-alt); white-space: pre-wrap;
}
.csw-alert[data-level="warning"] { border-left-color: var(--csw-warn); }
.csw-alert[data-level="info"] { border-left-color: var(--csw-info); }
.csw-alert-text { flex: 1; overflow-wrap: anywhere; }
.csw-alert { flex-wrap: wrap; }
.csw-alert-detail { flex-basis: 100%; order: 3; font-size: .9em; }
.csw-alert-detail pre { max-height: 12em; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0 0; }
.csw-badge {
  display: inline-block; padding: 0 6px; border-radius: 8px; font-size: .9em; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap;
}
.csw-state-RUNNING { color: var(--csw-ok-text); }
.csw-state-STARTING, .csw-state-STOPPING { color: var(--csw-warn-text); }
.csw-state-STOPPED { color: var(--csw-fg); }
.csw-state-UNKNOWN, .csw-state-ERROR, .csw-state-DELETED { color: var(--csw-err-text); }
.csw-sim-mark {
  display: inline-block; padding: 0 6px; border-radius: 3px; font-size: .85em;
  background: var(--csw-warn); color: #000;
}
/* an author's display rule beats the hidden attribute: every hidden element of a panel stays hidden */
.csw-root [hidden] { display: none !important; }
.csw-progress { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 6px; min-width: 140px; }
.csw-progress-track {
  position: relative; flex: 1 1 140px; height: 8px; border-radius: 4px; overflow: hidden;
  background: var(--csw-bg-alt); border: 1px solid var(--csw-border);
}
.csw-progress-fill { position: absolute; inset: 0 auto 0 0; background: var(--csw-accent); transition: width .2s; }
.csw-progress[data-indeterminate] .csw-progress-fill { width: 30% !important; animation: csw-indet 1.2s linear infinite; }
.csw-progress[data-status="failed"] .csw-progress-fill { background: var(--csw-err); }
.csw-progress[data-status="done"] .csw-progress-fill { background: var(--csw-ok); }
.csw-progress[data-status="aborted"] .csw-progress-fill { background: var(--csw-aborted-text); }
.csw-progress-label { font-size: .9em; color: var(--csw-fg-muted); min-width: 0; overflow-wrap: anywhere; }
.csw-progress[data-status="aborted"] .csw-progress-track, .csw-progress[data-status="unknown"] .csw-progress-track { opacity: .6; }
@keyframes csw-indet { from { left: -30%; } to { left: 100%; } }
@media (prefers-reduced-motion: reduce) { .csw-progress[data-indeterminate] .csw-progress-fill { animation: none; } }
.csw-future { display: flex; flex-direction: column; gap: 4px; padding: 6px 8px; margin: 4px 0;
  border: 1px solid var(--csw-border); border-radius: 4px; background: var(--csw-bg); }
.csw-future-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.csw-future-title { font-weight: 600; flex: 1; overflow-wrap: anywhere; }
.csw-future-final { font-weight: 600; }
.csw-future[data-final="done"] .csw-future-final { color: var(--csw-ok-text); }
.csw-future[data-final="failed"] .csw-future-final { color: var(--csw-err-text); }
.csw-future[data-final="aborted"] .csw-future-final { color: var(--csw-aborted-text); }
.csw-future-summary { font-size: .9em; overflow-wrap: anywhere; white-space: pre-wrap; }
.csw-future-summary:empty { display: none; }
.csw-future-failure {
  margin: 4px 0; padding: 6px 8px; border-left: 4px solid var(--csw-err); background: var(--csw-bg-alt);
  color: var(--csw-fg); font-weight: 600; white-space: pre-wrap; overflow-wrap: anywhere;
}
.csw-future-failure[hidden] { display: none; }
.csw-future-failure:not([data-final="failed"]) { border-left-color: var(--csw-border); font-weight: normal; }
.csw-future-confirm { display: inline-flex; align-items: center; gap: 6px; }
.csw-future-confirm[hidden] { display: none; }
.csw-dialog {
  display: flex; flex-direction: column; gap: 6px; padding: 8px; margin: 4px 0;
  border: 1px solid var(--csw-warn); border-left-width: 4px; background: var(--csw-bg-alt);
}
.csw-dialog[hidden] { display: none; }
.csw-dialog-form { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 8px; }
.csw-dialog-title { flex-basis: 100%; }
.csw-dialog-text { flex-basis: 100%; margin: 0; overflow-wrap: anywhere; }
.csw-dialog-field { display: inline-flex; flex-direction: column; gap: 2px; }
.csw-dialog-buttons { display: inline-flex; gap: 6px; }
/* "Copy as Python" beside a confirmation's buttons (shared/copy.js): the code box, when shown, takes its own line */
.csw-code-control { display: inline-flex; flex-wrap: wrap; gap: 4px; align-items: flex-start; }
.csw-code-control .csw-code-box { flex-basis: 100%; }
.csw-code-control .csw-code-text {
  display: block; box-sizing: border-box; width: 100%; min-width: min(32em, 100%);
  font-family: var(--jp-code-font-family, monospace); font-size: var(--jp-code-font-size, 12px);
}
.csw-visually-hidden {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
`;

const THEME_ID = "csw-theme";

/**
 * Add the theme to the document's head unless it is already there (where anywidget puts each
 * panel class's `_css` too): one copy per page, however many panels and views. A view rendered in a
 * shadow root (marimo shows each anywidget in one) gets a copy in that root: the page's styles do not
 * reach inside it.
 * @param {Node} [el] the element the view renders into
 * @returns {HTMLStyleElement}
 */
export function ensureTheme(el) {
  const root = el?.getRootNode?.();
  const shadow = typeof ShadowRoot !== "undefined" && root instanceof ShadowRoot ? root : null;
  let style = /** @type {HTMLStyleElement | null} */ (
    shadow ? shadow.querySelector(`style#${THEME_ID}`) : document.getElementById(THEME_ID)
  );
  if (!style) {
    style = document.createElement("style");
    style.id = THEME_ID;
    (shadow ?? document.head).append(style);
  }
  if (style.textContent !== themeCss) style.textContent = themeCss; // a newer bundle (hot reload) wins
  return style;
}
