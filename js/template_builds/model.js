// The TemplateBuilds' synced traits, as the view sees them (types only). Python declares each one in
// cswidgets/widgets/template_builds/panel.py; the records are TypedDicts in .../template_builds/rows.py.

/**
 * @typedef {import("../shared/model.js").PanelTraits} PanelTraits
 * @typedef {import("../shared/model.js").ProgressView} ProgressView
 *
 * How a template's last build failed (Python: LastFailure).
 * @typedef {{at_ms: number, stage: string | null, message: string | null}} LastFailure
 *
 * One template (Python: TemplateRow).
 * @typedef {{id: string, label: string, type: string | null, build_for: string[], last_built_ms: number | null,
 *   error: string | null, last_failure: LastFailure | null, studios?: string | null, outdated?: string | null}} TemplateRow
 *
 * One build shown under the table (Python: BuildRecord).
 * @typedef {{key: string, template_id: string, label: string, no_cache: boolean,
 *   view: ProgressView | Record<string, never>, final: string, result_summary: string, abortable: boolean,
 *   abort_requested: boolean, restart: string[], restart_names?: string[]}} BuildRecord
 *
 * One column of the table (Python: ColumnSpec, cswidgets/widgets/template_builds/columns.py).
 * @typedef {{id: string, label: string, kind: "select" | "text" | "code" | "list" | "time" | "actions",
 *   fields: string[], note: string | null, empty: string}} ColumnSpec
 *
 * @typedef {{columns: ColumnSpec[]}} TemplatesConfig
 *
 * @typedef {PanelTraits & {
 *   config: TemplatesConfig,
 *   rows: TemplateRow[],
 *   builds: BuildRecord[],
 *   selected: string[],
 *   no_cache: boolean,
 *   loading: boolean,
 *   is_simulator: boolean,
 * }} Traits
 */

export {};
