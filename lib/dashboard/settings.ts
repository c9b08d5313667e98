import { z } from "zod";

/** Grafana uids: at most 40 characters; lower-case letters, digits and '-' also make a valid Kubernetes name (Grafana 12+). */
const GRAFANA_UID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Grafana uid: the `dashboard:` section's `uid` and `folderUid`, and MetalLbDashboard's. */
export const grafanaUid = z
    .string()
    .max(40, "must be a Grafana uid: lower-case letters, digits and '-', at most 40 characters, starting and ending with a letter or digit")
    .regex(GRAFANA_UID, "must be a Grafana uid: lower-case letters, digits and '-', at most 40 characters, starting and ending with a letter or digit");

export const DEFAULT_DASHBOARD_UID = "metallb-overview";
export const DEFAULT_FOLDER_UID = "metallb";
export const DASHBOARD_DELIVERIES = ["grafana-api", "configmap", "none"] as const;

/** The dashboard's Grafana settings, one definition each: the `dashboard:` section fills in the defaults, MetalLbDashboard takes them as optional. */
export const dashboardFields = {
    folder: z.string().min(1).describe("Folder title (default MetalLB)."),
    // The dashboard's URL, and what an update overwrites.
    uid: grafanaUid.describe("Dashboard uid (default metallb-overview): give each cluster its own when several share one Grafana."),
    folderUid: grafanaUid.describe("Folder uid (default metallb), grafana-api delivery."),
};

/**
 * The `dashboard:` configuration namespace. `uid` and `folderUid` are per instance: several
 * clusters sharing one Grafana each set their own (e.g. `metallb-prod-eu`), or each overwrites the
 * other's dashboard.
 */
export const dashboardSettingsSchema = z.strictObject({
    /**
     * configmap (default): a labelled ConfigMap Grafana's sidecar loads (survives Grafana restarts,
     * needs no path from `pulumi up` to Grafana); grafana-api: through the Grafana provider, for a
     * Grafana this program does not install (monitoring:install false); none.
     */
    delivery: z.enum(DASHBOARD_DELIVERIES).default("configmap"),
    folder: dashboardFields.folder.default("MetalLB"),
    uid: dashboardFields.uid.default(DEFAULT_DASHBOARD_UID),
    folderUid: dashboardFields.folderUid.default(DEFAULT_FOLDER_UID),
});

export type DashboardSettings = z.output<typeof dashboardSettingsSchema>;
export type DashboardSettingsInput = z.input<typeof dashboardSettingsSchema>;
export const DEFAULT_DASHBOARD_SETTINGS: DashboardSettings = dashboardSettingsSchema.parse({});

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why a URL is not fit to push the dashboard to (the service-account token travels with every
 * request): https, or http only to a loopback address (a `kubectl port-forward`). Undefined if fit.
 */
export function grafanaApiUrlProblem(url: string): string | undefined {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return "is not a URL";
    }
    if (parsed.protocol === "https:") {
        return undefined;
    }
    if (parsed.protocol === "http:" && (LOOPBACK_HOSTS.has(parsed.hostname) || /^127\./.test(parsed.hostname))) {
        return undefined;
    }
    return `must be https (the Grafana token travels with every request), or http to a loopback address through a port-forward (http://localhost:3000); got ${parsed.protocol}//${parsed.host}`;
}

/** Why a Grafana credential is not a service-account token ("user:password" is a login). Never echoes it. */
export function grafanaTokenProblem(auth: string): string | undefined {
    return auth.includes(":")
        ? "must be a Grafana service-account token, not user:password (create a service account with the Editor role in Grafana and add a token)"
        : undefined;
}
