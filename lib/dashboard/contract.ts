import { FRRK8S_BGP, JOBS, NATIVE_BGP, RECORDED } from "../metrics";
import { DEFAULT_ALERT_SETTINGS, metallbRules } from "../rules";
import { RecordingRule, RuleFile } from "../rules/types";

/**
 * Recorded series the dashboard reads beyond those lib/rules already records, by the names of the
 * contract between the dashboard and the rules (BRIEF.md, "Recording rules the dashboard reads").
 * lib/rules (issue 11) owns these rules and their names in lib/metrics.ts `RECORDED`; where RECORDED
 * has a name, it wins. `contractRules` is the stand-in definition the tests and the benchmark
 * evaluate until lib/rules records them; it adds only the names RECORDED does not have yet.
 */
const recorded = RECORDED as Readonly<Record<string, string>>;
export const DASHBOARD_RECORDED = {
    /** Nodes announcing each service IP (labels protocol, exported_service, ip). */
    ipAnnouncers: recorded.ipAnnouncers ?? "ip:metallb_speaker_announced:count",
    /** Per peer across nodes: sessions established, and sessions (labels peer, vrf). */
    peerSessionsUp: recorded.peerSessionsUp ?? "peer:metallb_bgp_session_up:sum",
    peerSessions: recorded.peerSessions ?? "peer:metallb_bgp_session_up:count",
    /** Per peer across nodes: BGP messages per second (labels peer, vrf, direction, type). */
    peerMessages: recorded.peerMessages ?? "peer_direction_type:metallb_bgp_messages:rate5m",
    /** Per pool and address family (label family = ipv4|ipv6), never from the MaxInt64 totals. */
    poolFamilyFree: recorded.poolFamilyFree ?? "pool_family:metallb_allocator_addresses:free",
    poolFamilyRatio: recorded.poolFamilyRatio ?? "pool_family:metallb_allocator_addresses_in_use:ratio",
} as const;

/** `{job="…",namespace="…"}`. */
const sel = (namespace: string, job: string) => `{job="${job}",namespace="${namespace}"}`;

/** The stand-in rules for the names above that lib/rules does not record yet. */
export function contractRules(namespace: string, backend: "native" | "frr-k8s", clusterLabel?: string): RecordingRule[] {
    const c = clusterLabel ? `${clusterLabel}, ` : "";
    const speaker = sel(namespace, JOBS.speaker);
    const family = (fam: "ipv4" | "ipv6", metric: string) => `label_replace(max by (${c}namespace, pool) (metallb_allocator_${fam}_${metric}${sel(namespace, JOBS.controller)}), "family", "${fam}", "", "")`;
    const messages: [string, string, string][] =
        backend === "frr-k8s"
            ? [
                  [FRRK8S_BGP.updatesSent, "sent", "update"],
                  [FRRK8S_BGP.updatesReceived, "received", "update"],
                  [FRRK8S_BGP.keepalivesSent, "sent", "keepalive"],
                  [FRRK8S_BGP.keepalivesReceived, "received", "keepalive"],
                  [FRRK8S_BGP.notificationsSent, "sent", "notification"],
                  [FRRK8S_BGP.opensSent, "sent", "open"],
              ]
            : [[NATIVE_BGP.updatesSent, "sent", "update"]];
    const job = backend === "frr-k8s" ? JOBS.frrK8s : JOBS.speaker;
    const rate = ([metric, direction, type]: [string, string, string]) =>
        `label_replace(label_replace(sum by (${c}peer, vrf) (rate(${metric}${sel(namespace, job)}[5m])), "direction", "${direction}", "", ""), "type", "${type}", "", "")`;
    const rules: RecordingRule[] = [
        { record: DASHBOARD_RECORDED.ipAnnouncers, expr: `count by (${c}protocol, exported_service, ip) (metallb_speaker_announced${speaker})` },
        { record: DASHBOARD_RECORDED.peerSessionsUp, expr: `sum by (${c}peer, vrf) (${RECORDED.bgpSessionUp})` },
        { record: DASHBOARD_RECORDED.peerSessions, expr: `count by (${c}peer, vrf) (${RECORDED.bgpSessionUp})` },
        { record: DASHBOARD_RECORDED.peerMessages, expr: messages.map(rate).join(" or ") },
        {
            record: DASHBOARD_RECORDED.poolFamilyFree,
            expr: `(${family("ipv4", "addresses_total")} - ${family("ipv4", "addresses_in_use_total")}) or ((${family("ipv6", "addresses_total")} > 0) - ${family("ipv6", "addresses_in_use_total")})`,
        },
        {
            record: DASHBOARD_RECORDED.poolFamilyRatio,
            expr: `(${family("ipv4", "addresses_in_use_total")} / (${family("ipv4", "addresses_total")} > 0)) or (${family("ipv6", "addresses_in_use_total")} / (${family("ipv6", "addresses_total")} > 0))`,
        },
    ];
    return rules;
}

/** Our full rule file (lib/rules plus the stand-ins) for one installation, as the tests and the benchmark load it. */
export function benchRuleFile(namespace: string, backend: "native" | "frr-k8s", bgpPools: readonly string[], clusterLabel?: string): RuleFile {
    const rules = metallbRules(DEFAULT_ALERT_SETTINGS, { namespace, releaseName: "metallb", bgpBackend: backend, bgpPools });
    const have = new Set(rules.groups.flatMap((g) => g.rules.map((r) => ("record" in r ? r.record : ""))));
    const extra = contractRules(namespace, backend, clusterLabel).filter((r) => !have.has(r.record));
    return { groups: [...rules.groups, ...(extra.length > 0 ? [{ name: "metallb.dashboard.contract", rules: extra }] : [])] };
}
