import * as assert from "assert";
import { withAlertDefaults as alertSettings } from "../../../lib/rules/settings";
import { DEFAULT_ALERT_SETTINGS } from "../../../lib/rules/settings";

describe("alertSettings", () => {
    it("keeps the default of every duration the stack does not set", () => {
        const s = alertSettings({
            poolUsageWarningPercent: 70,
            poolUsageCriticalPercent: 90,
            excludePools: ["lab"],
            bgpFlapChanges: 6,
            for: { poolUsage: "20m", bgpSessionDown: undefined } as never,
            runbookBaseUrl: "https://runbooks.example.org/metallb",
        });
        assert.strictEqual(s.for.poolUsage, "20m");
        assert.strictEqual(s.for.bgpSessionDown, DEFAULT_ALERT_SETTINGS.for.bgpSessionDown);
        assert.strictEqual(s.for.controllerDown, DEFAULT_ALERT_SETTINGS.for.controllerDown);
        assert.deepStrictEqual([s.poolUsageWarningPercent, s.poolUsageCriticalPercent, s.bgpFlapChanges], [70, 90, 6]);
        assert.deepStrictEqual(s.excludePools, ["lab"]);
        assert.strictEqual(s.runbookBaseUrl, "https://runbooks.example.org/metallb");
    });
});
