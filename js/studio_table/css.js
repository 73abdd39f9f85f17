// Styles of the studio table (on top of shared/styles.js). Row height is fixed: the virtual
// scroller (body.js, ROW_HEIGHT) depends on it.
export const css = `
.csw-st { display: flex; flex-direction: column; gap: 6px; padding: 4px 0; }
.csw-st-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.csw-st-filter { min-width: 220px; }
.csw-st-batch { display: inline-flex; gap: 4px; }
.csw-st-spacer-flex { flex: 1; }
.csw-st-summary { color: var(--csw-fg-muted); white-space: nowrap; }
.csw-st-confirm {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px; padding: 6px 8px;
  border: 1px solid var(--csw-warn); border-left-width: 4px; background: var(--csw-bg-alt);
}
.csw-st-confirm[hidden] { display: none; }
.csw-st-confirm-text { flex: 1; overflow-wrap: anywhere; }
.csw-st-scroll {
  max-height: 480px; overflow: auto; border: 1px solid var(--csw-border); border-radius: 3px;
  overscroll-behavior: contain;
}
/* min-width: the fixed columns (row.js COLUMNS) plus room for the project, name and template headers */
.csw-st-table { width: 100%; min-width: 72em; border-collapse: collapse; table-layout: fixed; }
.csw-st-table thead th {
  position: sticky; top: 0; z-index: 1; background: var(--csw-bg-alt); color: var(--csw-fg);
  text-align: left; font-weight: 600; padding: 4px 6px; border-bottom: 1px solid var(--csw-border);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.csw-st-table th button.csw-st-sort {
  all: unset; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; max-width: 100%;
}
.csw-st-table th button.csw-st-sort:focus-visible { outline: 2px solid var(--csw-accent); outline-offset: 1px; }
.csw-st-sort-mark { color: var(--csw-fg-muted); font-size: .85em; }
.csw-st-row { height: 34px; }
.csw-st-row > td {
  height: 34px; max-height: 34px; padding: 0 6px; border-bottom: 1px solid var(--csw-border);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; vertical-align: middle;
}
.csw-st-row[aria-selected="true"] > td { background: color-mix(in srgb, var(--csw-accent) 12%, transparent); }
.csw-st-row:hover > td { background: color-mix(in srgb, var(--csw-fg) 5%, transparent); }
.csw-st-spacer > td { padding: 0; border: 0; }
.csw-st-muted { color: var(--csw-fg-muted); }
.csw-st-rowerr { color: var(--csw-err); cursor: help; }
.csw-st-actions { display: table-cell; }
.csw-st-actions .csw-st-buttons { display: inline-flex; gap: 4px; }
.csw-st-actions .csw-progress { display: inline-flex; min-width: 0; width: 90px; margin-left: 6px; vertical-align: middle; }
.csw-st-row .csw-progress-label { display: none; }
.csw-st-row a { color: var(--csw-accent); }
.csw-st-empty { margin: 8px; color: var(--csw-fg-muted); }
.csw-st-empty[hidden] { display: none; }
.csw-st-check { text-align: center; }
`;
