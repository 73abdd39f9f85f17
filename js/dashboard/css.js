// Styles of the activity panel (csw-act-*), on top of the shared csw- theme.
export const css = `
.csw-act { display: flex; flex-direction: column; gap: 6px; padding: 6px 8px; }
.csw-act-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.csw-act-title { margin: 0; font-size: 1.1em; font-weight: 600; }
.csw-act-counts { color: var(--csw-fg-muted); flex: 1; }
.csw-act-head label { display: inline-flex; align-items: center; gap: 4px; }
.csw-act-scroll { max-height: 360px; overflow: auto; border: 1px solid var(--csw-border); border-radius: 3px; }
.csw-act table { border-collapse: collapse; width: 100%; }
.csw-act th, .csw-act td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--csw-border); vertical-align: top; }
.csw-act th { position: sticky; top: 0; font-weight: 600; background: var(--csw-bg-alt); }
.csw-act td.csw-act-msg { overflow-wrap: anywhere; max-width: 40em; }
.csw-act td.csw-act-num { white-space: nowrap; font-variant-numeric: tabular-nums; }
.csw-act-empty { color: var(--csw-fg-muted); margin: 0; }
.csw-act .csw-outcome-running { color: var(--csw-info); }
.csw-act .csw-outcome-done { color: var(--csw-ok); }
.csw-act .csw-outcome-failed, .csw-act .csw-outcome-aborted { color: var(--csw-err); }
.csw-act .csw-outcome-refused { color: var(--csw-warn); }
`;
// The dashboard's tab titles carry the studio name and counts: let them take their width
// (ipywidgets' Tab otherwise truncates every title to a fixed width). Scoped to the dashboard.
export const tabsCss = `
.csw-dashboard-tabs .lm-TabBar-tab, .csw-dashboard-tabs .p-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; min-width: 0; }
`;
