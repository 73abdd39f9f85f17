// Styles of the conflict viewer (theme variables come from js/shared/styles.js).
export const css = `
.csw-cv { display: flex; flex-direction: column; gap: 6px; padding: 6px 8px; }
.csw-cv-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.csw-cv-title { margin: 0; font-size: 1.1em; font-weight: 600; flex: 1; overflow-wrap: anywhere; }
.csw-cv-status { font-size: .9em; color: var(--csw-fg-muted); min-height: 1em; }
.csw-cv-idle { padding: 8px; border: 1px dashed var(--csw-border); border-radius: 4px;
  display: flex; flex-direction: column; gap: 6px; align-items: flex-start; }
.csw-cv-idle p { margin: 0; overflow-wrap: anywhere; }
/* "hidden" must win over the display rules above and the shared .csw-progress { display: flex } */
.csw-cv [hidden] { display: none; }
.csw-cv-zones { display: flex; flex-direction: column; gap: 8px; }
.csw-cv-zone { border: 1px solid var(--csw-border); border-left-width: 4px; border-radius: 4px;
  padding: 6px 8px; background: var(--csw-bg); display: flex; flex-direction: column; gap: 4px; }
.csw-cv-zone[data-status="clean"] { border-left-color: var(--csw-ok); }
.csw-cv-zone[data-status="conflicts"] { border-left-color: var(--csw-warn); }
.csw-cv-zone[data-status="error"] { border-left-color: var(--csw-err); }
.csw-cv-zone-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
.csw-cv-zone-name { margin: 0; font-size: 1em; font-weight: 600; }
.csw-cv-path, .csw-cv-file { font-family: var(--jp-code-font-family, ui-monospace, monospace);
  font-size: var(--jp-code-font-size, 12px); overflow-wrap: anywhere; white-space: pre-wrap; }
.csw-cv-path { color: var(--csw-fg-muted); }
.csw-cv-summary { font-weight: 600; }
.csw-cv-zone[data-status="error"] .csw-cv-summary { color: var(--csw-err); }
.csw-cv-meta { font-size: .9em; color: var(--csw-fg-muted); overflow-wrap: anywhere; }
.csw-cv-groups { display: flex; flex-wrap: wrap; gap: 4px 16px; }
.csw-cv-group h5 { margin: 2px 0; font-size: .95em; font-weight: 600; }
.csw-cv-group ul, .csw-cv-confirm ul { margin: 0; padding-left: 18px; max-height: 12em; overflow: auto; }
.csw-cv-more { color: var(--csw-fg-muted); font-style: italic; }
.csw-cv-actions { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; }
.csw-cv-dir { font-size: .9em; color: var(--csw-fg-muted); margin-right: 8px; }
.csw-cv-confirm { border: 1px solid var(--csw-warn); border-radius: 4px; padding: 6px 8px;
  background: var(--csw-bg-alt); display: flex; flex-direction: column; gap: 4px; }
.csw-cv-confirm p { margin: 0; }
.csw-cv-confirm-buttons { display: flex; gap: 6px; }
.csw-cv-result { font-size: .9em; overflow-wrap: anywhere; }
.csw-cv-result:empty { display: none; }
.csw-cv-result[data-ok="false"] { color: var(--csw-err); }
`;
