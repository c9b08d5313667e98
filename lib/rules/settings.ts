import { z } from "zod";
import { promDuration } from "../util/schema";
import { AlertSettings, DEFAULT_ALERT_SETTINGS, withAlertDefaults } from "./types";

/**
 * The alert settings (the `alerts:` config namespace, and MetalLbMonitoring's `alerts` argument):
 * every field defaulted, thresholds checked in order. Provisional until the alert rules' own
 * settings module replaces it (same names).
 */
const percent = z.number().int().min(1).max(100);
const d = DEFAULT_ALERT_SETTINGS;

/** The `alerts:` configuration namespace: thresholds, durations, exclusions, runbook links. */
export const alertSettingsSchema = z.strictObject({
    poolUsageWarningPercent: percent.default(d.poolUsageWarningPercent),
    poolUsageCriticalPercent: percent.default(d.poolUsageCriticalPercent),
    excludePools: z.array(z.string()).default([]),
    bgpFlapChanges: z.number().int().min(2).default(d.bgpFlapChanges),
    for: z
        .strictObject(Object.fromEntries(Object.keys(d.for).map((k) => [k, promDuration.optional()])) as Record<keyof typeof d.for, z.ZodOptional<typeof promDuration>>)
        .default({}),
    runbookBaseUrl: z.url().default(d.runbookBaseUrl),
})
    .superRefine((a, ctx) => {
        if (a.poolUsageWarningPercent >= a.poolUsageCriticalPercent) {
            ctx.addIssue({ code: "custom", path: ["poolUsageWarningPercent"], message: `(${a.poolUsageWarningPercent}) must be below poolUsageCriticalPercent (${a.poolUsageCriticalPercent})`, input: undefined });
        }
    })
    .transform((a): AlertSettings => withAlertDefaults(a));
export type AlertSettingsInput = z.input<typeof alertSettingsSchema>;
export type { AlertSettings };
export { DEFAULT_ALERT_SETTINGS };

