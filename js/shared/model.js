// The synced traits every panel has (cswidgets/widgets/shared/panel.py, class Panel), as the views see
// them, and the records several panels share (types only: nothing runs here). Each panel's model.js
// adds its own traits to PanelTraits.

/**
 * An alert of the panel's alert region (written by Python only; `key`: the condition it is about).
 * @typedef {{id: string, level: "error" | "warning" | "info" | string, message: string, key?: string,
 *   detail?: string}} Alert
 *
 * The progress of a task (Python: `ProgressView`, cswidgets/widgets/shared/progress.py).
 * @typedef {{status: string, stage: string | null, fraction: number | null, elapsed_s: number | null,
 *   eta_s: number | null, message: string | null}} ProgressView
 *
 * @typedef {{
 *   alerts: Alert[],
 *   updated_ms: number,
 * }} PanelTraits
 */

export {};
