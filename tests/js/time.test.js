import { describe, expect, it } from "vitest";
import { exactTime, relativeTime } from "../../js/shared/time.js";

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

describe("relativeTime", () => {
  it("says how long ago a past time was", () => {
    expect(relativeTime(NOW - 3 * 60_000, NOW)).toBe("3 minutes ago");
    expect(relativeTime(NOW - 2 * 3600_000, NOW)).toBe("2 hours ago");
    expect(relativeTime(NOW - 45_000, NOW)).toBe("45 seconds ago");
  });

  it("says 'just now' for now and for times slightly in the future (clock skew, a fast simulator)", () => {
    expect(relativeTime(NOW, NOW)).toBe("just now");
    expect(relativeTime(NOW - 300, NOW)).toBe("just now"); // rounds to this very second
    expect(relativeTime(NOW + 1_500, NOW)).toBe("just now");
    expect(relativeTime(NOW + 90_000, NOW)).toBe("just now"); // not "in 2 minutes"
    expect(relativeTime(NOW + 3 * 3600_000, NOW)).toBe("just now"); // the simulator at speed 100
  });

  it("says 'never' for no time", () => {
    for (const value of [null, undefined, 0, -5, Number.NaN]) expect(relativeTime(value, NOW)).toBe("never");
  });

  it("keeps the exact time for a title", () => {
    expect(exactTime(NOW)).toBe("2024-05-01 12:00:00 UTC");
    expect(exactTime(null)).toBe("");
  });
});
