// The ConflictViewer's synced traits, as the view sees them (types only). Python declares each one in
// cswidgets/widgets/conflicts/panel.py; the records are TypedDicts in cswidgets/widgets/conflicts/zones.py.

/**
 * @typedef {import("../shared/model.js").PanelTraits} PanelTraits
 * @typedef {import("../shared/model.js").ProgressView} ProgressView
 *
 * `studio_view` (Python: StudioView).
 * @typedef {{project_key?: string, id?: string, name?: string, state?: string | null, running: boolean,
 *   message: string, can_start: boolean, simulator?: boolean, deleted?: boolean}} StudioView
 *
 * One DSS-side change of a zone since its last sync.
 * @typedef {{change: string, path: string, conflict?: boolean, authors?: string[], messages?: string[]}} DssChange
 *
 * The pull confirmation's offer of DSS's versions as a zip (Python: BackupOffer).
 * @typedef {{button: string, note: string, missing: string[], missing_note: string}} BackupOffer
 *
 * One synced zone (Python: ZoneEntry).
 * @typedef {{key: string, id: string | null, type: string | null, label: string | null, path: string | null,
 *   one_way: boolean, status: string, error: string | null, added: string[], modified: string[],
 *   deleted: string[], counts: Record<string, number>, authors: string[], commit_from: string | null,
 *   commit_to: string | null, commit_from_full?: string | null, commit_to_full?: string | null, fingerprint: string, confirm: Record<string, string | null>,
 *   confirm_restore?: Record<string, string | null>, backup?: BackupOffer | null,
 *   studio_commands?: Record<string, {show: string, save: string}>,
 *   versioned?: boolean, dss_known?: boolean | null, dss_why?: string | null, dss_changes?: DssChange[],
 *   dss_count?: number, busy: string | null, result: {op?: string, ok?: boolean, unknown?: boolean,
 *   text?: string} | null}} ZoneEntry
 *
 * The view's wording (Python: ViewerTexts).
 * @typedef {{direction: {pull: string, push: string}, one_way: string, studio_side: string, keep: string}} ViewerTexts
 *
 * @typedef {PanelTraits & {
 *   studio_view: StudioView,
 *   zones: ZoneEntry[],
 *   checking: boolean,
 *   start_progress: ProgressView | null,
 *   texts: ViewerTexts,
 * }} Traits
 */

export {};
