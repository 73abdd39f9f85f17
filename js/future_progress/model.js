// The FutureProgress bar's synced traits, as the view sees them (types only). Python declares each one in
// cswidgets/widgets/future_progress/panel.py.

/**
 * @typedef {import("../shared/model.js").PanelTraits} PanelTraits
 * @typedef {import("../shared/model.js").ProgressView} ProgressView
 *
 * @typedef {PanelTraits & {
 *   label: string,
 *   view: ProgressView | Record<string, never>,
 *   final: "" | "done" | "failed" | "aborted" | "unknown",
 *   result_summary: string,
 *   abortable: boolean,
 *   abort_requested: boolean,
 * }} Traits
 */

export {};
