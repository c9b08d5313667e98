import { z } from "zod";

/** Grafana uids: at most 40 characters; lower-case letters, digits and '-' also make a valid Kubernetes name (Grafana 12+). */
const GRAFANA_UID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const uid = z
    .string()
    .max(40)
    .regex(GRAFANA_UID, "a Grafana uid: lower-case letters, digits and '-', at most 40 characters, starting and ending with a letter or digit");

export const DEFAULT_DASHBOARD_UID = "metallb-overview";
export const DEFAULT_FOLDER_UID = "metallb";
export const DASHBOARD_DELIVERIES = ["grafana-api", "configmap", "none"] as const;

/**
 * The `dashboard:` configuration namespace. `uid` and `folderUid` are per instance: several
 * clusters sharing one Grafana each set their own (e.g. `metallb-prod-eu`), or each overwrites the
 * other's dashboard.
 */
export const dashboardSettingsSchema = z.strictObject({
    /** grafana-api: through the Grafana provider; configmap: for Grafana's sidecar; none. */
    delivery: z.enum(DASHBOARD_DELIVERIES).default("grafana-api"),
    /** Grafana folder title. */
    folder: z.string().min(1).default("MetalLB"),
    /** The dashboard's uid (its URL, and what an update overwrites). */
    uid: uid.default(DEFAULT_DASHBOARD_UID),
    /** The folder's uid (grafana-api delivery). */
    folderUid: uid.default(DEFAULT_FOLDER_UID),
});

export type DashboardSettings = z.output<typeof dashboardSettingsSchema>;
export type DashboardSettingsInput = z.input<typeof dashboardSettingsSchema>;
export const DEFAULT_DASHBOARD_SETTINGS: DashboardSettings = dashboardSettingsSchema.parse({});

/** Checks a uid argument; returns the problem or undefined. */
export function uidProblem(value: string): string | undefined {
    const r = uid.safeParse(value);
    return r.success ? undefined : r.error.issues.map((i) => i.message).join("; ");
}
