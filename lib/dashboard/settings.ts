import { z } from "zod";

/**
 * The dashboard settings (the `dashboard:` config namespace). Provisional until the dashboard's own
 * settings module replaces it (same names).
 */
export const DASHBOARD_DELIVERIES = ["grafana-api", "configmap", "none"] as const;

export const dashboardSettingsSchema = z.strictObject({
    /** grafana-api: through the Grafana provider; configmap: for Grafana's sidecar; none. */
    delivery: z.enum(DASHBOARD_DELIVERIES).default("grafana-api"),
    /** Grafana folder title. */
    folder: z.string().min(1).default("MetalLB"),
});
export type DashboardSettings = z.output<typeof dashboardSettingsSchema>;
export type DashboardSettingsInput = z.input<typeof dashboardSettingsSchema>;
