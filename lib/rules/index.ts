import { alertingRules } from "./alerts";
import { ruleContext } from "./context";
import { recordingRules } from "./recording";
import { AlertSettings, RuleFile, RuleTarget } from "./types";

export { ALERT_NAMES, AlertName } from "./alerts";
export { alertSettingsSchema, AlertSettingsInput, DEFAULT_ALERT_SETTINGS, withAlertDefaults } from "./settings";
export { AlertSettings, RuleFile, RuleTarget } from "./types";

export const RULE_GROUP = "metallb";

/**
 * The PrometheusRule `spec` (equally a Prometheus rule file) for one MetalLB installation. One group:
 * Prometheus evaluates a group's rules in order, so each alert reads the recording rules of the same
 * evaluation. Separate groups run independently, and an alert would read a result one evaluation
 * interval old (its worst case 30s later; promtool even orders groups at random).
 */
export function metallbRules(settings: AlertSettings, target: RuleTarget): RuleFile {
    return { groups: [{ name: RULE_GROUP, rules: [...recordingRules(ruleContext(settings, target)), ...alertingRules(settings, target)] }] };
}
export { REMOTE_WRITE_CHART_ALERTS, REMOTE_WRITE_RECORDED, REMOTE_WRITE_RULE_GROUP, remoteWriteRules, RemoteWriteRuleTarget } from "./remoteWrite";
