// Tells the kernel that a view of this panel rendered in this page: from then on the kernel sends this
// page no classic-notebook loader (cswidgets/widgets/shared/classic.py), which the page then cannot need —
// it renders panels natively, or already holds the module the loader defined. Never answered.
export const RENDERED = "rendered";

/** Report the render once per view (call in render, after the view's root is in `el`). */
export function reportRendered(model) {
  try {
    model.send({ kind: RENDERED });
  } catch {
    // no comm (a static export re-hydrated without a kernel): nothing to tell
  }
}
