import type { ResourcesConfig, StorageConfig } from "./schema";
import { deepMerge } from "../util/merge";
import { buildAlertmanagerConfig, ReceiverOptions, RECEIVERS_SECRET } from "./alertmanager";

/**
 * kube-prometheus-stack naming (templates/_helpers.tpl): fullname is the release name when it
 * contains the chart name, else "<release>-kube-prometheus-stack", truncated to 26 characters.
 */
export function kpsFullname(releaseName: string): string {
    const chart = "kube-prometheus-stack";
    const full = releaseName.includes(chart) ? releaseName : `${releaseName}-${chart}`;
    return full.slice(0, 26).replace(/-+$/, "");
}

/** Grafana subchart fullname: the release name when it contains "grafana", else "<release>-grafana". */
export function grafanaFullname(releaseName: string): string {
    return (releaseName.includes("grafana") ? releaseName : `${releaseName}-grafana`).slice(0, 63).replace(/-+$/, "");
}

/** In-cluster names and URLs the stack's other consumers need. */
export function kpsEndpoints(releaseName: string, namespace: string) {
    const full = kpsFullname(releaseName);
    return {
        prometheusServiceAccount: { namespace, name: `${full}-prometheus` },
        prometheusUrl: `http://${full}-prometheus.${namespace}.svc:9090`,
        alertmanagerUrl: `http://${full}-alertmanager.${namespace}.svc:9093`,
        grafanaInClusterUrl: `http://${grafanaFullname(releaseName)}.${namespace}.svc`,
    };
}

/** Secret holding Grafana's admin credentials (chart keys admin-user / admin-password). */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const GRAFANA_ADMIN_USER = "admin";

export interface KpsValuesOptions {
    readonly prometheus: {
        readonly retention: string;
        readonly retentionSize?: string;
        readonly scrapeInterval: string;
        readonly evaluationInterval: string;
        readonly resources?: ResourcesConfig;
        readonly storage?: StorageConfig;
    };
    readonly alertmanager: { readonly retention: string; readonly resources?: ResourcesConfig; readonly storage?: StorageConfig };
    readonly grafana: {
        readonly resources?: ResourcesConfig;
        readonly persistence?: StorageConfig;
        readonly serviceType: "LoadBalancer" | "ClusterIP";
        readonly pool?: string;
        readonly address?: string;
        /** Public URL of Grafana (root_url), when known. */
        readonly url?: string;
    };
    readonly receivers: ReceiverOptions;
    /** Extra chart values, deep-merged last. */
    readonly overrides?: Record<string, unknown>;
}

function volumeClaim(storage: StorageConfig): Record<string, unknown> {
    return {
        volumeClaimTemplate: {
            spec: {
                ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: storage.size } },
            },
        },
    };
}

const defined = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * Values for kube-prometheus-stack. They hold no secret: Grafana's admin password comes from the
 * `grafana-admin` Secret, the receivers' credentials from the mounted `alertmanager-receivers`.
 * Prometheus keeps the chart's default selectors (`release: <release name>`), which the
 * MetalLB monitors and rules carry.
 */
export function buildKpsValues(o: KpsValuesOptions): Record<string, unknown> {
    const annotations = defined({ "metallb.io/address-pool": o.grafana.pool, "metallb.io/loadBalancerIPs": o.grafana.address });
    const values: Record<string, unknown> = {
        prometheus: {
            prometheusSpec: defined({
                retention: o.prometheus.retention,
                retentionSize: o.prometheus.retentionSize,
                scrapeInterval: o.prometheus.scrapeInterval,
                evaluationInterval: o.prometheus.evaluationInterval,
                resources: o.prometheus.resources,
                storageSpec: o.prometheus.storage ? volumeClaim(o.prometheus.storage) : undefined,
            }),
        },
        alertmanager: {
            alertmanagerSpec: defined({
                retention: o.alertmanager.retention,
                resources: o.alertmanager.resources,
                storage: o.alertmanager.storage ? volumeClaim(o.alertmanager.storage) : undefined,
                secrets: [RECEIVERS_SECRET],
            }),
            config: buildAlertmanagerConfig(o.receivers),
        },
        grafana: defined({
            admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
            resources: o.grafana.resources,
            persistence: o.grafana.persistence
                ? defined({ enabled: true, storageClassName: o.grafana.persistence.storageClassName, size: o.grafana.persistence.size })
                : { enabled: false },
            service: defined({ type: o.grafana.serviceType, annotations: Object.keys(annotations).length > 0 ? annotations : undefined }),
            "grafana.ini": o.grafana.url ? { server: { root_url: o.grafana.url } } : undefined,
        }),
    };
    return deepMerge(values, o.overrides);
}
