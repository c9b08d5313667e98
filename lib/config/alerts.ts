import { AlertSettings, DEFAULT_ALERT_SETTINGS, withAlertDefaults } from "../rules/types";
import { parseValues, tidyProblems } from "./load";
import { AlertsConfig, alertsSchema } from "./monitoringSchema";
import { Problem } from "./problems";

/** Alert settings from the `alerts:` config: every unset duration keeps its default. */
export function alertSettings(c: AlertsConfig): AlertSettings {
    return withAlertDefaults(c);
}

/** Problems of partial alert settings given to a component, as `args.alerts.…`; none when valid. */
export function alertSettingsProblems(partial: Partial<AlertSettings> | undefined): Problem[] {
    const problems: Problem[] = [];
    parseValues(alertsSchema, "args.alerts.", (partial ?? {}) as Record<string, unknown>, problems);
    const warning = partial?.poolUsageWarningPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageWarningPercent;
    const critical = partial?.poolUsageCriticalPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageCriticalPercent;
    if (typeof warning === "number" && typeof critical === "number" && warning >= critical) {
        problems.push({ path: "args.alerts.poolUsageWarningPercent", message: `(${warning}) must be below poolUsageCriticalPercent (${critical})` });
    }
    return tidyProblems(problems);
}
