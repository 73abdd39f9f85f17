import { describe, expect, it } from "vitest";
import { localError, reportLocal } from "../../js/shared/local_error.js";

function fakeAlerts() {
  const shown = [];
  return { shown, local: (message) => shown.push(message) };
}

describe("front-end-only errors", () => {
  it("shows a timeout or a closed view, not what Python already reported", () => {
    const alerts = fakeAlerts();
    expect(reportLocal(alerts, new Error("No answer from the kernel after 120 s (is a cell still running?)."))).toBe(true);
    expect(reportLocal(alerts, new Error("The view was closed."))).toBe(true);
    expect(reportLocal(alerts, new Error("HTTP 403: you are not admin"))).toBe(false); // in the alert region already
    expect(reportLocal(alerts, undefined)).toBe(false);
    expect(alerts.shown).toEqual(["No answer from the kernel after 120 s (is a cell still running?).", "The view was closed."]);
  });

  it("localError() shows, then rethrows so callers restore their buttons", async () => {
    const alerts = fakeAlerts();
    const err = new Error("No answer from the kernel after 2 s (is a cell still running?).");
    await expect(Promise.reject(err).catch(localError(alerts))).rejects.toBe(err);
    expect(alerts.shown).toHaveLength(1);
  });
});
