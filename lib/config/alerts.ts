import { AlertSettings, AlertSettingsInput, withAlertDefaults } from "../rules/settings";
import { parseValues, tidyProblems } from "./load";
import { alertsSchema } from "./monitoringSchema";
import { Problem } from "./problems";

/** Alert settings from the `alerts:` config: every unset duration keeps its default. */
export function alertSettings(c: AlertSettingsInput): AlertSettings {
    return withAlertDefaults(c);
}

/** Problems of partial alert settings given to a component, as `args.alerts.…`; none when valid. */
export function alertSettingsProblems(partial: AlertSettingsInput | undefined): Problem[] {
    const problems: Problem[] = [];
    // The schema checks the thresholds' order too (warning below critical).
    parseValues(alertsSchema, "args.alerts.", (partial ?? {}) as Record<string, unknown>, problems);
    return tidyProblems(problems);
}
