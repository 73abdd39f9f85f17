// The doctor's probe's synced traits, as the view sees them (types only). Python declares them in
// cswidgets/widgets/doctor/probe.py.

/**
 * @typedef {{
 *   status: string,
 * }} Traits
 */

export {};
