// Errors the kernel did not report itself. Python already puts an action's error in the panel's
// alert region (the Panel base class adds it), so a view shows only the failures that happen on
// its side of the wire: no answer within the rpc timeout, or the view closed while waiting.
export const LOCAL_ERROR = /^(No answer from the kernel|The view was closed)/;

/** Show `err` in the alert region if it is a front-end-only failure; returns whether it was shown. */
export function reportLocal(alerts, err) {
  const message = String(err?.message ?? err ?? "");
  if (!LOCAL_ERROR.test(message)) return false;
  alerts.local(message);
  return true;
}

/** A rejection handler for rpc calls: shows a front-end-only failure, then rethrows (so callers can
 * restore their buttons). */
export function localError(alerts) {
  return (err) => {
    reportLocal(alerts, err);
    throw err;
  };
}
