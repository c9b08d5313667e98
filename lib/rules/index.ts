import { alertingRules } from "./alerts";
import { ruleContext } from "./context";
import { recordingRules } from "./recording";
import { AlertSettings, RuleFile, RuleTarget } from "./types";

export { ALERT_NAMES, AlertName } from "./alerts";
export { alertSettingsSchema, AlertSettingsInput, DEFAULT_ALERT_SETTINGS, withAlertDefaults } from "./settings";
export { AlertSettings, RuleFile, RuleTarget } from "./types";

export const RECORDING_GROUP = "metallb.rules";
export const ALERTING_GROUP = "metallb.alerts";

/** The PrometheusRule `spec` (equally a Prometheus rule file) for one MetalLB installation. */
export function metallbRules(settings: AlertSettings, target: RuleTarget): RuleFile {
    return {
        groups: [
            { name: RECORDING_GROUP, rules: recordingRules(ruleContext(settings, target)) },
            { name: ALERTING_GROUP, rules: alertingRules(settings, target) },
        ],
    };
}
