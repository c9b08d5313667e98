import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXACT_VERSION } from "../lib/util/versions";

/**
 * CrossGuard guard rails for this project (and any stack reusing its components). Each policy is a
 * plain object so it can be unit-tested by calling `validateResource` directly. They see only
 * objects Pulumi manages: the contents of a `helm.v3.Release` are invisible to CrossGuard, its
 * inputs (version, values) are not.
 */

const HELM_TYPES = ["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v3:Release"];
const SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const NAMESPACE = "kubernetes:core/v1:Namespace";

const namespaceConfig = {
    configSchema: { properties: { metallbNamespace: { type: "string" as const, default: "metallb-system" } } },
};

export const helmChartPinned: ResourceValidationPolicy = {
    name: "helm-chart-pinned",
    description: "Helm charts and releases are pinned to an exact chart version (a range upgrades under you).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!HELM_TYPES.includes(args.type)) {
            return;
        }
        const version = args.props.version;
        if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
            report(`${args.props.chart ?? "chart"}: version ${JSON.stringify(version ?? null)} is not an exact chart version (e.g. 0.16.1).`);
        }
    },
};

/** Input keys that hold credentials. */
const SENSITIVE_KEY = /(password|passwd|secret|token|apikey|api_key|api_url|routing_key|service_key|webhook|credentials?|private_?key)$/i;
/** Keys that only name where a credential lives (a Secret, a key in it, a mounted file). */
const REFERENCE_KEY = /(existingSecret|secretName|secretRef|passwordSecret|Key|_file|File|Secrets?)$/;

function plaintextCredentials(value: unknown, path: string, out: string[]): void {
    if (Array.isArray(value)) {
        value.forEach((v, i) => plaintextCredentials(v, `${path}[${i}]`, out));
        return;
    }
    if (typeof value !== "object" || value === null) {
        return;
    }
    for (const [key, v] of Object.entries(value)) {
        const p = path ? `${path}.${key}` : key;
        if (typeof v === "string" && v !== "" && SENSITIVE_KEY.test(key) && !REFERENCE_KEY.test(key)) {
            out.push(p);
        } else {
            plaintextCredentials(v, p, out);
        }
    }
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secrets",
    description:
        "No credential (password, token, webhook URL, routing key) in Helm values or resource inputs: keep it in a Kubernetes Secret and reference it (existingSecret, *_file, passwordSecret).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        // Secrets hold credentials by design (the provider stores their data as Pulumi secrets);
        // provider configuration (e.g. Grafana's auth) is marked secret by the provider schema.
        if (args.type === "kubernetes:core/v1:Secret" || args.type.startsWith("pulumi:providers:")) {
            return;
        }
        const found: string[] = [];
        plaintextCredentials(args.props, "", found);
        for (const p of found) {
            report(`${p} holds a credential in plain text; put it in a Secret and reference it.`);
        }
    },
};

export const metallbNamespacePrivileged: ResourceValidationPolicy = {
    name: "metallb-namespace-privileged",
    description: "MetalLB's namespace carries the privileged Pod Security label (the speaker needs host networking and raw sockets).",
    enforcementLevel: "mandatory",
    ...namespaceConfig,
    validateResource: (args, report) => {
        const { metallbNamespace } = args.getConfig<{ metallbNamespace: string }>();
        if (args.type !== NAMESPACE || args.props.metadata?.name !== metallbNamespace) {
            return;
        }
        const enforce = args.props.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
        if (enforce !== "privileged") {
            report(`namespace ${metallbNamespace} must be labelled pod-security.kubernetes.io/enforce: privileged (is ${JSON.stringify(enforce ?? null)}).`);
        }
    },
};

export const metallbServiceMonitorsHttps: ResourceValidationPolicy = {
    name: "metallb-servicemonitor-https",
    description: "ServiceMonitors for MetalLB scrape over HTTPS: MetalLB 0.16 serves metrics only over TLS.",
    enforcementLevel: "mandatory",
    ...namespaceConfig,
    validateResource: (args, report) => {
        const { metallbNamespace } = args.getConfig<{ metallbNamespace: string }>();
        const meta = args.props.metadata ?? {};
        const forMetallb = meta.namespace === metallbNamespace || meta.labels?.["app.kubernetes.io/part-of"] === "metallb-observability";
        if (args.type !== SERVICE_MONITOR || !forMetallb) {
            return;
        }
        (args.props.spec?.endpoints ?? []).forEach((ep: { port?: string; scheme?: string }, i: number) => {
            if (String(ep.scheme ?? "http").toLowerCase() !== "https") {
                report(`endpoints[${i}] (port ${ep.port ?? "?"}) uses scheme ${ep.scheme ?? "http (default)"}; MetalLB needs https.`);
            }
        });
    },
};

export const alertMetadata: ResourceValidationPolicy = {
    name: "prometheusrule-alert-metadata",
    description: "Every PrometheusRule alert has a severity label and summary, description and runbook_url annotations.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== PROMETHEUS_RULE) {
            return;
        }
        for (const group of args.props.spec?.groups ?? []) {
            for (const rule of group.rules ?? []) {
                if (!rule.alert) {
                    continue;
                }
                const missing = [
                    ...(["critical", "warning", "info"].includes(rule.labels?.severity) ? [] : ["label severity (critical|warning|info)"]),
                    ...["summary", "description", "runbook_url"].filter((a) => !rule.annotations?.[a]).map((a) => `annotation ${a}`),
                ];
                if (missing.length > 0) {
                    report(`alert ${rule.alert} in group ${group.name} lacks ${missing.join(", ")}.`);
                }
            }
        }
    },
};

export const POLICIES: ResourceValidationPolicy[] = [helmChartPinned, noPlaintextSecrets, metallbNamespacePrivileged, metallbServiceMonitorsHttps, alertMetadata];
