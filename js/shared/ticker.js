// Relative times that tick: "1 second ago" becomes "40 seconds ago" without a read of DSS.
//
// A cell that shows a relative time marks its element with `data-csw-ms` (the epoch ms it is relative
// to: `timeAttrs(ms)`); one that shows a duration running from a time ("4h 02m" running) marks it with
// `data-csw-since` (`sinceAttrs(ms)`). A view calls `tickTimes(root)` once when it renders and the function it returns
// when it is removed. One timer serves every view of the page: it runs while at least one view is
// registered and stops with the last one. Each second it rewrites the text of the marked elements whose
// text changed (only the rows in the DOM: a virtualized table keeps ~40), and calls the functions registered
// with `everyTick(fn)` (a filter that depends on the time, e.g. "running > 4 h"), nothing else.
import { durationText, relativeTime } from "./time.js";

export const TICK_MS = 1000;

/** @type {Set<HTMLElement>} */
const roots = new Set();
/** @type {Set<(now: number) => void>} */
const listeners = new Set();
/** @type {ReturnType<typeof setInterval> | null} */
let timer = null;

/** Rewrite every marked time and duration under `root` for `now` (only the texts that changed). */
export function paintTimes(root, now = Date.now()) {
  for (const el of root.querySelectorAll("[data-csw-ms]")) {
    const ms = Number(/** @type {HTMLElement} */ (el).dataset.cswMs);
    if (!Number.isFinite(ms) || ms <= 0) continue;
    const text = relativeTime(ms, now);
    if (el.textContent !== text) el.textContent = text;
  }
  for (const el of root.querySelectorAll("[data-csw-since]")) {
    const ms = Number(/** @type {HTMLElement} */ (el).dataset.cswSince);
    if (!Number.isFinite(ms) || ms <= 0) continue;
    const text = sinceText(ms, now);
    if (el.textContent !== text) el.textContent = text;
  }
}

/** The time from `ms` to `now` as a duration ("4h 02m"; a time ahead of `now`, clock skew: "0.0s"). */
export function sinceText(ms, now = Date.now()) {
  return durationText(Math.max(0, (now - ms) / 1000));
}

function tick() {
  const now = Date.now();
  for (const root of roots) paintTimes(root, now);
  for (const fn of listeners) fn(now);
}

function started() {
  if (timer === null) timer = setInterval(tick, TICK_MS);
}

function stopIfUnused() {
  if (roots.size === 0 && listeners.size === 0 && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
}

/** Keep the relative times under `root` ticking; returns the function that stops (call it on removal). */
export function tickTimes(root) {
  roots.add(root);
  started();
  return () => {
    roots.delete(root);
    stopIfUnused();
  };
}

/** Call `fn(now)` on every tick of the shared timer; returns the function that stops (call it on removal). */
export function everyTick(fn) {
  listeners.add(fn);
  started();
  return () => {
    listeners.delete(fn);
    stopIfUnused();
  };
}

/** Whether the shared timer runs (for tests: it stops with the last view). */
export function ticking() {
  return timer !== null;
}

/** The attributes of an element showing `ms` as a relative time that ticks. */
export function timeAttrs(ms) {
  return { dataset: { cswMs: String(ms) } };
}

/** The attributes of an element showing the duration since `ms`, which ticks. */
export function sinceAttrs(ms) {
  return { dataset: { cswSince: String(ms) } };
}
