// The ActivityPanel's synced traits, as the view sees them (types only). Python declares each one in
// cswidgets/widgets/activity/panel.py; the records are TypedDicts in cswidgets/widgets/activity/log.py.

/**
 * @typedef {import("../shared/model.js").PanelTraits} PanelTraits
 *
 * One action (Python: ActivityEntry).
 * @typedef {{id: number, panel: string | null, who: string | null, what: string, target: string | null,
 *   project_key: string | null, studio_id: string | null, studio: string | null, zone: string | null,
 *   template_id: string | null, when: string, outcome: string, duration_s: number | null,
 *   message: string | null, files: string[] | null}} ActivityEntry
 *
 * The log's counts (Python: ActivityCounts).
 * @typedef {{total: number, running: number, failed: number, aborted: number, refused: number}} ActivityCounts
 *
 * @typedef {PanelTraits & {
 *   entries: ActivityEntry[],
 *   counts: ActivityCounts,
 * }} Traits
 */

export {};
