import { ResourceValidationPolicy } from "@pulumi/policy";
import { DEFAULT_POOL_PREFIX_LIMIT, oversizeProblem, parseAddressEntry, specialPurposeProblem } from "./shared/addresses";
import { chartRepositoryProblem, credentialInText, urlScheme } from "./shared/credentials";

/**
 * CrossGuard guard rails for this project (and any stack reusing its components). Each policy is a
 * plain object so it can be unit-tested by calling `validateResource` directly. They see only
 * objects Pulumi manages: the contents of a `helm.v3.Release` are invisible to CrossGuard, its
 * inputs (version, values) are not. A policy calls `args.notApplicable()` for resources it does not
 * look at, so a run can tell "checked and passed" from "checked nothing".
 *
 * Self-contained: imports nothing outside policy/ (`pulumi policy publish` uploads only this folder).
 * The address and URL checks are the program's own (lib/), copied into policy/shared/ by
 * `npm run policy:sync`; the tests fail when a copy drifts.
 */

/**
 * An exact chart version ("0.16.1", "v88.5.3", "1.2.3-rc.1"); ranges such as ^, ~, x, * or >= do
 * not match. The same rule as lib/util/versions.ts (tests/policy keeps them in step).
 */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

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
            return args.notApplicable();
        }
        const version = args.props.version;
        if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
            report(`${args.props.chart ?? "chart"}: version ${JSON.stringify(version ?? null)} is not an exact chart version (e.g. 0.16.1).`);
        }
    },
};

/** Input keys that hold credentials (password, adminPassword, bearer_token, slack_api_url, ...). */
const SENSITIVE_KEY = /(password|passwd|secret|token|api_url|routing_key|webhook|credentials?)$/i;
/**
 * Keys that only name where a credential lives (a Secret, a key in it, a mounted file). Only the
 * Secret-naming forms count: `clientSecret` or `webhookSecret` hold the credential itself.
 */
const REFERENCE_KEY = /(existingSecret|secretName|secretRef|passwordSecret|[Tt][Ll][Ss]Secret|Key|_file|File|Secrets)$/;
/**
 * Keys that are credentials even though they end in "Key" like the references above (passwordKey
 * names a key inside a Secret; apiKey is one): API, secret, private, service, access, client and
 * routing keys, camelCase or snake_case.
 */
const CREDENTIAL_KEY =
    /((^|[_.-])(api|secret|private|service|access|client|routing|integration|auth)[_-]?key$)|([a-z0-9](Api|Secret|Private|Service|Access|Client|Routing|Integration|Auth)Key$)/i;
/** Why a string value is a credential in plain text, if it is one (never the value itself). */
function credentialInValue(v: string): string | undefined {
    return credentialInText(v);
}

function plaintextCredentials(value: unknown, path: string, out: string[]): void {
    if (Array.isArray(value)) {
        value.forEach((v, i) => {
            plaintextCredentials(v, `${path}[${i}]`, out);
        });
        return;
    }
    if (typeof value === "string") {
        const what = credentialInValue(value);
        if (what) {
            out.push(`${path || "value"} holds ${what}`);
        }
        return;
    }
    if (typeof value !== "object" || value === null) {
        return;
    }
    for (const [key, v] of Object.entries(value)) {
        const p = path ? `${path}.${key}` : key;
        const credentialKey = CREDENTIAL_KEY.test(key) || (SENSITIVE_KEY.test(key) && !REFERENCE_KEY.test(key));
        if (typeof v === "string" && v !== "" && credentialKey) {
            out.push(`${p} holds a credential`);
        } else {
            plaintextCredentials(v, p, out);
        }
    }
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secrets",
    description:
        "No credential (password, token, API/secret/private/service key, routing key, webhook URL, URL with user:password@ or a token=, private_token=, X-Amz-Signature=, sig= ... parameter) in Helm values or resource inputs: keep it in a Kubernetes Secret and reference it (existingSecret, *_file, passwordSecret).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        // Secrets hold credentials by design (the provider stores their data as Pulumi secrets);
        // provider configuration (e.g. Grafana's auth) is marked secret by the provider schema.
        if (args.type === "kubernetes:core/v1:Secret" || args.type.startsWith("pulumi:providers:")) {
            return args.notApplicable();
        }
        const found: string[] = [];
        plaintextCredentials(args.props, "", found);
        for (const p of found) {
            report(`${p} in plain text; put it in a Secret and reference it.`);
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
            return args.notApplicable();
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
            return args.notApplicable();
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
            return args.notApplicable();
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

const isPool = (type: string) => /^kubernetes:metallb\.io\/v[0-9a-z]+:IPAddressPool$/.test(type);

export const metallbPoolAddresses: ResourceValidationPolicy = {
    name: "metallb-pool-addresses",
    description:
        "IPAddressPools hold neither special-purpose addresses (unspecified, loopback, link-local with the cloud metadata address, multicast, broadcast) nor more than a /16 (IPv4) or /56 (IPv6) per entry, and no IPv6 zone index: in L2 mode the speakers would answer ARP/NDP for addresses other hosts own.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxIpv4Prefix: { type: "number" as const, default: DEFAULT_POOL_PREFIX_LIMIT.ipv4 },
            maxIpv6Prefix: { type: "number" as const, default: DEFAULT_POOL_PREFIX_LIMIT.ipv6 },
        },
    },
    validateResource: (args, report) => {
        if (!isPool(args.type)) {
            return args.notApplicable();
        }
        const { maxIpv4Prefix, maxIpv6Prefix } = args.getConfig<{ maxIpv4Prefix: number; maxIpv6Prefix: number }>();
        const addresses: unknown[] = Array.isArray(args.props.spec?.addresses) ? args.props.spec.addresses : [];
        addresses.forEach((entry, i) => {
            const parsed = parseAddressEntry(String(entry));
            const problem = parsed.ok
                ? (specialPurposeProblem(parsed.range) ??
                  oversizeProblem(parsed.range, { ipv4: maxIpv4Prefix, ipv6: maxIpv6Prefix }, "raise maxIpv4Prefix/maxIpv6Prefix in the policy config"))
                : parsed.error;
            if (problem) {
                report(`spec.addresses[${i}]: ${problem}`);
            }
        });
    },
};

/** Objects with `type: LoadBalancer` anywhere in a value (a Service, or a chart's service settings in Helm values), by path. */
function loadBalancersWithoutRanges(value: unknown, path: string, out: string[]): void {
    if (Array.isArray(value)) {
        value.forEach((v, i) => {
            loadBalancersWithoutRanges(v, `${path}[${i}]`, out);
        });
        return;
    }
    if (typeof value !== "object" || value === null) {
        return;
    }
    const o = value as Record<string, unknown>;
    const ranges = o.loadBalancerSourceRanges;
    if (o.type === "LoadBalancer" && !(Array.isArray(ranges) && ranges.length > 0)) {
        out.push(path || "spec");
    }
    for (const [k, v] of Object.entries(o)) {
        loadBalancersWithoutRanges(v, path ? `${path}.${k}` : k, out);
    }
}

export const loadBalancerSourceRanges: ResourceValidationPolicy = {
    name: "loadbalancer-source-ranges",
    description:
        "LoadBalancer Services (and charts' LoadBalancer services in Helm values) set loadBalancerSourceRanges: without them the Service answers every address that can reach the pool.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        const service = args.type === "kubernetes:core/v1:Service";
        if (!service && !HELM_TYPES.includes(args.type)) {
            return args.notApplicable();
        }
        const found: string[] = [];
        loadBalancersWithoutRanges(service ? { spec: args.props.spec } : { values: args.props.values }, "", found);
        for (const p of found) {
            report(`${p} is a LoadBalancer without loadBalancerSourceRanges: anyone who can route to the pool reaches it; list the networks that may.`);
        }
    },
};

const MONITORS = ["kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "kubernetes:monitoring.coreos.com/v1:PodMonitor"];

/** Paths of `insecureSkipVerify: true` anywhere in a value. */
function skipVerify(value: unknown, path: string, out: string[]): void {
    if (Array.isArray(value)) {
        value.forEach((v, i) => {
            skipVerify(v, `${path}[${i}]`, out);
        });
        return;
    }
    if (typeof value !== "object" || value === null) {
        return;
    }
    for (const [k, v] of Object.entries(value)) {
        const p = path ? `${path}.${k}` : k;
        if (k === "insecureSkipVerify" && v === true) {
            out.push(p);
        } else {
            skipVerify(v, p, out);
        }
    }
}

export const scrapeTlsVerified: ResourceValidationPolicy = {
    name: "scrape-tls-verified",
    description:
        "ServiceMonitors and PodMonitors verify their targets' certificates (no insecureSkipVerify): for MetalLB set monitoring:metricsTls (a Secret with the certificate and its CA) and the scrapes verify it.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (!MONITORS.includes(args.type)) {
            return args.notApplicable();
        }
        const found: string[] = [];
        skipVerify({ spec: args.props.spec }, "", found);
        for (const p of found) {
            report(
                `${p}: the scrape accepts any certificate (an impostor on the path reads the metrics and the bearer token); serve a verifiable certificate (for MetalLB: monitoring:metricsTls).`,
            );
        }
    },
};

export const helmChartRepositoryHttps: ResourceValidationPolicy = {
    name: "helm-chart-repository-https",
    description: "Helm charts come from https:// or oci:// repositories (a chart fetched over plain http can be swapped on the way).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!HELM_TYPES.includes(args.type)) {
            return args.notApplicable();
        }
        const repo = args.props.repositoryOpts?.repo;
        if (typeof repo === "string" && repo !== "") {
            const problem = chartRepositoryProblem(repo);
            if (problem) {
                report(`repositoryOpts.repo ${problem}.`);
            }
        }
        const chart = args.props.chart;
        // A chart given as a URL (oci://..., https://.../x.tgz) rather than a name in the repository.
        if (typeof chart === "string" && urlScheme(chart) !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(chart)) {
            const problem = chartRepositoryProblem(chart);
            if (problem) {
                report(`chart ${problem}.`);
            }
        }
    },
};

export const POLICIES: ResourceValidationPolicy[] = [
    helmChartPinned,
    helmChartRepositoryHttps,
    noPlaintextSecrets,
    metallbNamespacePrivileged,
    metallbServiceMonitorsHttps,
    metallbPoolAddresses,
    loadBalancerSourceRanges,
    scrapeTlsVerified,
    alertMetadata,
];
