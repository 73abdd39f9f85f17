// ipywidgets' layout on the panel (`StudioTable(client, layout=Layout(height="800px"))`) sets the height
// or max_height of the view's element, `el`. The table then follows it: the grid's scroller takes the
// height the toolbar leaves (`.csw-st-fill` in style.css) instead of its own 480 px cap. Without either,
// nothing changes. Followed while the view lives (a later `table.layout.height = ...` too).

const set = (value, unset) => Boolean(value) && value !== unset;

/** Make `root` follow `el`'s height / max-height; `onChange()` after each change. Returns a disposer. */
export function followLayout(el, root, onChange = () => {}) {
  let last = "|"; // neither set: the default look
  const apply = () => {
    const height = set(el.style.height, "auto") ? el.style.height : "";
    const max = set(el.style.maxHeight, "none") ? el.style.maxHeight : "";
    const key = `${height}|${max}`;
    if (key === last) return;
    last = key;
    root.classList.toggle("csw-st-fill", Boolean(height || max));
    root.style.height = height ? "100%" : "";
    root.style.maxHeight = max;
    onChange();
  };
  const observer = typeof MutationObserver === "function" ? new MutationObserver(apply) : null;
  observer?.observe(el, { attributes: true, attributeFilter: ["style"] });
  apply();
  return () => observer?.disconnect();
}
