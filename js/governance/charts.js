// Small horizontal bar charts, drawn as SVG through DOM calls (createElementNS, textContent): a label from
// DSS (a login, a template label, a project key) is only ever a text node. Colours come from the theme's CSS
// variables (style.css), so the charts follow JupyterLab's light and dark themes.
import { h } from "../shared/dom.js";

const SVG = "http://www.w3.org/2000/svg";
export const WIDTH = 320; // px, the viewBox's width
export const LABEL_W = 110; // px, the label column
export const VALUE_W = 44; // px, the value after the bar
export const BAR_H = 14;
export const GAP = 5;
const MAX_LABEL = 16; // characters shown of a label (the full one in its <title>)

/** @param {string} tag @param {Record<string, string | number>} [attrs] @param {string} [text] */
function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** `label` cut to MAX_LABEL characters ("…" when cut). */
export function shortLabel(label) {
  const s = String(label ?? "");
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}

/** A value as the chart writes it: whole studios, hours to one decimal. */
export function valueText(value, unit) {
  const v = Number(value) || 0;
  return unit === "hours" ? (Math.round(v * 10) / 10).toString() : String(Math.round(v));
}

/** What a screen reader hears: "Running studios by owner: alice 3, bob 1" ("none" when empty). */
export function chartSummary(chart) {
  const bars = chart.bars ?? [];
  const items = bars.map((b) => `${b.label} ${valueText(b.value, chart.unit)}`).join(", ");
  return `${chart.title} (${chart.unit}): ${items || "none"}`;
}

/**
 * The chart as a <figure>: its title, then an <svg role="img"> with one row per bar (label, bar, value), or
 * "No running studio." when it has no bar.
 * @param {import("./model.js").Chart} chart
 */
export function barChart(chart) {
  const bars = chart.bars ?? [];
  const figure = h("figure", { class: "csw-gov-chart", dataset: { chart: chart.id } }, h("figcaption", { text: chart.title }));
  if (!bars.length) {
    figure.append(h("p", { class: "csw-gov-empty", text: "No running studio." }));
    return figure;
  }
  const max = Math.max(...bars.map((b) => Number(b.value) || 0), 0);
  const span = WIDTH - LABEL_W - VALUE_W;
  const height = bars.length * (BAR_H + GAP) + GAP;
  const root = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img", class: "csw-gov-svg" });
  root.setAttribute("aria-label", chartSummary(chart));
  bars.forEach((bar, i) => {
    const y = GAP + i * (BAR_H + GAP);
    const value = Number(bar.value) || 0;
    const w = max > 0 ? Math.max(value > 0 ? 2 : 0, Math.round((value / max) * span)) : 0;
    const row = svg("g", { class: "csw-gov-bar", "data-label": String(bar.label) });
    row.append(svg("title", {}, `${bar.label}: ${valueText(value, chart.unit)} ${chart.unit}`));
    row.append(svg("text", { x: LABEL_W - 6, y: y + BAR_H - 3, "text-anchor": "end", class: "csw-gov-label" }, shortLabel(bar.label)));
    row.append(svg("rect", { x: LABEL_W, y, width: w, height: BAR_H, rx: 2, class: "csw-gov-rect" }));
    row.append(svg("text", { x: LABEL_W + w + 4, y: y + BAR_H - 3, class: "csw-gov-value" }, valueText(value, chart.unit)));
    root.append(row);
  });
  figure.append(root);
  return figure;
}
