// The Governance panel's synced traits, as the view sees them (types only: nothing runs here). Python declares
// each one in cswidgets/widgets/governance/panel.py (written by Python only); the records are TypedDicts in
// cswidgets/widgets/governance/records.py.

/**
 * @typedef {import("../shared/model.js").PanelTraits} PanelTraits
 *
 * @typedef {{label: string, value: number}} Bar
 * @typedef {{id: string, title: string, unit: string, bars: Bar[], others: number}} Chart
 * @typedef {{key: string, name: string | null, owner: string | null, template: string | null,
 *   unsynced_files: number | null}} StudioRef
 * @typedef {{key: string, project_key: string, id: string, name: string | null, owner: string | null,
 *   running_for_s: number | null, unsynced_files: number | null, decision: string, reason: string,
 *   outcome: string | null}} PolicyRow
 * @typedef {{studios?: number, running?: number, running_hours?: number, outdated?: number,
 *   outdated_running?: number, unsynced_studios?: number, unsynced_read?: boolean, text?: string}} Summary
 * @typedef {{stop_zones: string, stop_confirm: string}} GovernanceTexts
 *
 * @typedef {PanelTraits & {
 *   texts: GovernanceTexts,
 *   summary: Summary,
 *   charts: Chart[],
 *   outdated: StudioRef[],
 *   unsynced: StudioRef[],
 *   policy: PolicyRow[],
 *   policy_info: {threshold?: string, dry_run?: boolean},
 *   loading: boolean,
 *   stopping: boolean,
 * }} Traits
 */

export {};
