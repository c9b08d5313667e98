/**
 * Labels the MetalLB Helm chart (0.16.x) puts on its pods: `metallb.selectorLabels` plus
 * `app.kubernetes.io/component` (charts/metallb/templates/_helpers.tpl, controller.yaml, speaker.yaml).
 * Helm-installed pods do NOT carry the `app: metallb` / `component:` labels of the plain manifests.
 * frr-k8s pods come from the frr-k8s subchart (metallb/frr-k8s charts/frr-k8s/templates/controller.yaml).
 */
export type PodSelector = { [label: string]: string };

export type MetallbComponent = "controller" | "speaker";

/** `app.kubernetes.io/name` of MetalLB's pods: the chart name, as we never set nameOverride. */
export const METALLB_APP_NAME = "metallb";
export const FRR_K8S_APP_NAME = "frr-k8s";

export function metallbPodSelector(releaseName: string, component: MetallbComponent): PodSelector {
    return {
        "app.kubernetes.io/name": METALLB_APP_NAME,
        "app.kubernetes.io/instance": releaseName,
        "app.kubernetes.io/component": component,
    };
}

export function frrK8sPodSelector(releaseName: string): PodSelector {
    return {
        "app.kubernetes.io/name": FRR_K8S_APP_NAME,
        "app.kubernetes.io/instance": releaseName,
        "app.kubernetes.io/component": "frr-k8s",
    };
}

/** Pod Security Admission labels: the speaker needs raw network access (hostNetwork, NET_RAW). */
export const PRIVILEGED_NAMESPACE_LABELS: PodSelector = {
    "pod-security.kubernetes.io/enforce": "privileged",
    "pod-security.kubernetes.io/audit": "privileged",
    "pod-security.kubernetes.io/warn": "privileged",
};
