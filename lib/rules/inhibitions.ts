import { AlertName } from "./alerts";

/**
 * How MetalLB alerts are grouped into notifications and which alert makes another redundant,
 * declared beside the alerts (the monitoring-mixin way) and read by the Alertmanager config
 * (lib/monitoring/alertmanager.ts), so an alert rename cannot leave an inhibition behind.
 */

/** Labels that locate a MetalLB fault; alerts that share them are one notification. */
export const GROUP_BY = ["alertname", "namespace", "pool", "node", "peer"];

/** One Alertmanager inhibit rule: while `source` fires, `target` alerts with the same `equal` labels are muted. */
export interface Inhibition {
    readonly source_matchers: readonly string[];
    readonly target_matchers: readonly string[];
    readonly equal: readonly string[];
}

const alert = (name: AlertName) => `alertname = "${name}"`;

/** The inhibit rules of the Alertmanager config. */
export function inhibitions(): Inhibition[] {
    return [
        // A critical alert silences the warning of the same alert for the same thing.
        { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["alertname", ...GROUP_BY.slice(1)] },
        { source_matchers: ['severity = "warning"'], target_matchers: ['severity = "info"'], equal: ["alertname", ...GROUP_BY.slice(1)] },
        // An exhausted pool makes its "usage high" warning redundant.
        { source_matchers: [alert("MetalLBAddressPoolExhausted")], target_matchers: [alert("MetalLBAddressPoolUsageHigh")], equal: ["namespace", "pool"] },
        // A session that stays down is not also reported as flapping.
        { source_matchers: [alert("MetalLBBGPSessionDown")], target_matchers: [alert("MetalLBBGPSessionFlapping")], equal: ["namespace", "node", "peer"] },
        // kube-prometheus-stack's InfoInhibitor convention.
        { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
    ];
}
