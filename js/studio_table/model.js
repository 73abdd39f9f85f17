// The StudioTable's synced traits, as the view sees them (types only: nothing runs here). Python declares
// each one in cswidgets/widgets/studio_table/panel.py, with its writer; the records in them are TypedDicts
// there (`TableConfig` in config.py, `ColumnSpec`/`ColumnsState`/`SortState` in columns.py, `Summary` in
// rows.py, `LiveInfo` in refresher.py, `RowTask`/`DeniedActions` in actions.py).

/**
 * @typedef {import("../shared/model.js").PanelTraits} PanelTraits
 * @typedef {import("../shared/model.js").ProgressView} ProgressView
 * @typedef {import("./columns.js").ColumnSpec} ColumnSpec
 * @typedef {import("./controls.js").BatchRule} BatchRule
 *
 * The columns and rules the view renders by (Python: TableConfig), written once.
 * @typedef {{columns: ColumnSpec[], active_states: string[], batch: BatchRule[]}} TableConfig
 *
 * An action on a row (Python: RowTask): the table's own (`in_flight`) or one started elsewhere (`transitions`).
 * @typedef {{action: string, progress: ProgressView, who?: string | null}} RowTask
 *
 * The counts above the table and their text (Python: Summary, its text by summary_text).
 * @typedef {{total?: number, running?: number, states?: Record<string, number>, failed_projects?: number,
 *   errors?: number, not_loaded?: string, text?: string}} Summary
 * How the live refresh goes (Python: LiveInfo in refresher.py).
 * @typedef {{budget?: number, effective?: number, in_transition?: number, pass_s?: number, rate?: number,
 *   tasks?: boolean, trickle?: boolean, visible?: number, slowed?: string, by_kind?: Record<string, number>}} LiveInfo
 *
 * @typedef {PanelTraits & {
 *   config: TableConfig,
 *   filter_text: string,
 *   filter_states: string[],
 *   filter_owners: string[],
 *   filter_projects: string[],
 *   filter_templates: string[],
 *   filter_running_min: number,
 *   group_by: "" | "project",
 *   columns: {hidden?: string[], widths?: Record<string, number>},
 *   sort: {column?: string, descending?: boolean},
 *   selection: string[],
 *   loading: boolean,
 *   summary: Summary,
 *   is_simulator: boolean,
 *   create_blocked: string,
 *   live: boolean,
 *   request_budget: number,
 *   transitions: Record<string, RowTask>,
 *   live_info: LiveInfo,
 *   stale: string[],
 *   in_flight: Record<string, RowTask>,
 *   denied: Record<string, Record<string, string>>,
 *   dss_origin: string,
 * }} Traits
 */

export {};
