import { AlertName } from "./alerts";
import { AlertSettings, DEFAULT_ALERT_SETTINGS } from "./settings";

/**
 * How MetalLB alerts are grouped into notifications and which alert makes another redundant,
 * declared beside the alerts (the monitoring-mixin way) and read by the Alertmanager config
 * (lib/monitoring/alertmanager.ts), so an alert rename cannot leave an inhibition behind. With
 * `clusterLabel` set, the cluster label is in every `group_by` and every `equal`: an alert in one
 * cluster never mutes or joins one in another.
 */

/** Labels that locate a MetalLB fault; alerts that share them are one notification. */
// `vrf`: frr-k8s sessions to the same peer address in two VRFs are two sessions.
const LOCATION = ["namespace", "pool", "node", "peer", "vrf"];

/** The Alertmanager `group_by`: the cluster label (when set), the alert name and the fault's location. */
export function groupBy(settings: Pick<AlertSettings, "clusterLabel"> = DEFAULT_ALERT_SETTINGS): string[] {
    return [...(settings.clusterLabel ? [settings.clusterLabel] : []), "alertname", ...LOCATION];
}

/** One Alertmanager inhibit rule: while `source` fires, `target` alerts with the same `equal` labels are muted. */
export interface Inhibition {
    readonly source_matchers: readonly string[];
    readonly target_matchers: readonly string[];
    readonly equal: readonly string[];
}

const alert = (name: AlertName) => `alertname = "${name}"`;

/** The inhibit rules of the Alertmanager config. */
export function inhibitions(settings: Pick<AlertSettings, "clusterLabel"> = DEFAULT_ALERT_SETTINGS): Inhibition[] {
    const c = settings.clusterLabel ? [settings.clusterLabel] : [];
    const same = [...c, "alertname", ...LOCATION];
    return [
        // A critical alert silences the warning of the same alert for the same thing.
        { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: same },
        { source_matchers: ['severity = "warning"'], target_matchers: ['severity = "info"'], equal: same },
        // An exhausted pool makes its "usage high" warning redundant.
        {
            source_matchers: [alert("MetalLBAddressPoolExhausted")],
            target_matchers: [alert("MetalLBAddressPoolUsageHigh")],
            equal: [...c, "namespace", "pool"],
        },
        // A session that stays down is not also reported as flapping.
        {
            source_matchers: [alert("MetalLBBGPSessionDown")],
            target_matchers: [alert("MetalLBBGPSessionFlapping")],
            equal: [...c, "namespace", "node", "peer", "vrf"],
        },
        {
            source_matchers: [alert("MetalLBBFDSessionDown")],
            target_matchers: [alert("MetalLBBFDSessionFlapping")],
            equal: [...c, "namespace", "node", "peer", "vrf"],
        },
        // kube-prometheus-stack's InfoInhibitor convention.
        { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: [...c, "namespace"] },
    ];
}
