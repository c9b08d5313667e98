import { AlertSettings, DEFAULT_ALERT_SETTINGS } from "../rules/types";
import type { AlertsConfig } from "./monitoringSchema";

/** Alert settings from the `alerts:` config: every unset duration keeps its default. */
export function alertSettings(c: AlertsConfig): AlertSettings {
    const overrides = Object.fromEntries(Object.entries(c.for).filter(([, v]) => v !== undefined)) as Partial<AlertSettings["for"]>;
    return { ...DEFAULT_ALERT_SETTINGS, ...c, for: { ...DEFAULT_ALERT_SETTINGS.for, ...overrides } };
}
