import { stringify } from "yaml";
import { SECRET_PLACEHOLDER } from "./stackFile";

/** A resource as the mock runtime saw it registered. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/** Pulumi's wire marker for secret values (sdk/nodejs/runtime/rpc.ts specialSigKey/specialSecretSig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Replaces every secret-wrapped value with the placeholder. */
export function redactSecrets(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(redactSecrets);
    }
    if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) {
            return SECRET_PLACEHOLDER;
        }
        return Object.fromEntries(Object.entries(o).map(([k, val]) => [k, redactSecrets(val)]));
    }
    return v;
}

const HELM_TYPES = new Set(["kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release"]);
const DASHBOARD_TYPE = "grafana:oss/dashboard:Dashboard";
const FOLDER_TYPE = "grafana:oss/folder:Folder";
const GRAFANA_PROVIDER_TYPE = "pulumi:providers:grafana";

/**
 * A Secret for secrets.yaml: its key names under `data`, each with the placeholder (whether the
 * whole map or single values are Pulumi secrets). `data` takes base64, which the placeholder is
 * not: `kubectl apply` refuses the object instead of creating a Secret whose password is a known
 * string (an applied placeholder would be the Grafana admin password anyone can read here).
 */
export function placeholderSecret(inputs: Record<string, unknown>): Record<string, unknown> {
    const { stringData: _stringData, data: _data, ...rest } = inputs;
    const keys = new Set<string>();
    for (const field of ["data", "stringData"]) {
        const raw = unwrapSecret(inputs[field]);
        if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
            for (const k of Object.keys(raw)) {
                keys.add(k);
            }
        }
    }
    return { ...rest, data: Object.fromEntries([...keys].sort().map((k) => [k, SECRET_PLACEHOLDER])) };
}

/** The head of secrets.yaml: what it is and how to supply the Secrets it lists. */
export const SECRETS_HEADER = [
    '# The Secrets this stack needs, with their key names and no values (see docs/render.md, "Secrets").',
    "# Not applicable as it is: each value is the placeholder [secret], which is not base64, so the API",
    "# server refuses the object. Create each Secret from your secret store (kubectl create secret",
    "# generic, Sealed Secrets, External Secrets) before applying manifests.yaml.",
    "",
].join("\n");

/** A value with every secret wire marker, at any depth, replaced by the value inside it. */
function unwrapDeep(v: unknown): unknown {
    const inner = unwrapSecret(v);
    if (Array.isArray(inner)) {
        return inner.map(unwrapDeep);
    }
    if (typeof inner === "object" && inner !== null) {
        return Object.fromEntries(Object.entries(inner).map(([k, x]) => [k, unwrapDeep(x)]));
    }
    return inner;
}

/** The value inside Pulumi's secret wire marker (the value itself when it is none). */
export function unwrapSecret(v: unknown): unknown {
    if (typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) {
        return (v as Record<string, unknown>).value;
    }
    return v;
}

/**
 * Apply order: Namespaces before the objects inside them (a namespaced object cannot be created in a
 * namespace that does not exist yet), then everything else by kind, namespace and name.
 */
export function applyRank(kind: string): number {
    return kind === "Namespace" ? 0 : 1;
}

function isKubernetesObject(r: RecordedResource): boolean {
    return r.type.startsWith("kubernetes:") && !HELM_TYPES.has(r.type) && typeof r.inputs.kind === "string";
}

function isSecretObject(r: RecordedResource): boolean {
    return isKubernetesObject(r) && r.inputs.kind === "Secret";
}

/** Objects of manifests.yaml: every Kubernetes object but the Secrets (secrets.yaml lists those). */
function isManifest(r: RecordedResource): boolean {
    return isKubernetesObject(r) && !isSecretObject(r);
}

type Meta = { name?: string; namespace?: string; labels?: Record<string, string> };
const meta = (r: RecordedResource): Meta => (r.inputs.metadata ?? {}) as Meta;

function compare(a: string[], b: string[]): number {
    for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}

function sortKeys(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(sortKeys);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(
            Object.keys(v)
                .sort()
                .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
        );
    }
    return v;
}

function manifestOf(r: RecordedResource): Record<string, unknown> {
    const { apiVersion, kind, metadata, ...rest } = r.inputs;
    return { apiVersion, kind, metadata: sortKeys(metadata), ...(sortKeys(rest) as Record<string, unknown>) };
}

/**
 * Files of an offline render, path -> content: every Kubernetes object the program declares,
 * each Helm release's chart and values, each PrometheusRule as a Prometheus rule file and each
 * Grafana dashboard model. Deterministic for the same resources; secrets are placeholders.
 */
export function renderFiles(recorded: readonly RecordedResource[]): Map<string, string> {
    const resources = recorded.map((r) => ({
        ...r,
        inputs: redactSecrets(r.inputs.kind === "Secret" && r.type.startsWith("kubernetes:") ? placeholderSecret(r.inputs) : r.inputs) as Record<
            string,
            unknown
        >,
    }));
    const dashboardModels = new Map(recorded.filter((r) => r.type === DASHBOARD_TYPE).map((r) => [r.name, unwrapSecret(r.inputs.configJson)] as const));
    const files = new Map<string, string>();

    const manifests = resources
        .filter(isManifest)
        .sort((a, b) =>
            compare(
                [String(applyRank(String(a.inputs.kind))), String(a.inputs.kind), meta(a).namespace ?? "", meta(a).name ?? a.name],
                [String(applyRank(String(b.inputs.kind))), String(b.inputs.kind), meta(b).namespace ?? "", meta(b).name ?? b.name],
            ),
        );
    files.set("manifests.yaml", manifests.map((r) => stringify(manifestOf(r), { lineWidth: 0 })).join("---\n"));
    const secrets = resources
        .filter(isSecretObject)
        .sort((a, b) => compare([meta(a).namespace ?? "", meta(a).name ?? a.name], [meta(b).namespace ?? "", meta(b).name ?? b.name]));
    if (secrets.length > 0) {
        files.set("secrets.yaml", SECRETS_HEADER + secrets.map((r) => stringify(manifestOf(r), { lineWidth: 0 })).join("---\n"));
    }

    for (const r of resources.filter((x) => HELM_TYPES.has(x.type))) {
        // biome-ignore lint/suspicious/noExplicitAny: a Helm resource's registered inputs, untyped
        const i = r.inputs as Record<string, any>;
        const release = String(i.name ?? r.name);
        files.set(
            `helm/${release}.yaml`,
            stringify(
                {
                    release,
                    chart: i.chart,
                    repository: i.repositoryOpts?.repo,
                    version: i.version,
                    namespace: i.namespace,
                    values: sortKeys(i.values ?? {}),
                },
                { lineWidth: 0 },
            ),
        );
    }

    // A spec that holds a secret (an encrypted runbook URL) is a secret as a whole: manifests.yaml shows
    // the placeholder; the rule file, for promtool, is written through the marker (the render decrypts
    // nothing, so it holds only the placeholders of encrypted values).
    const ruleSpecs = new Map(recorded.filter((r) => r.inputs.kind === "PrometheusRule").map((r) => [r.name, unwrapDeep(r.inputs.spec)] as const));
    for (const r of manifests.filter((x) => x.inputs.kind === "PrometheusRule")) {
        const m = meta(r);
        files.set(`rules/${m.namespace}-${m.name}.yaml`, stringify(redactSecrets(ruleSpecs.get(r.name)), { lineWidth: 0 }));
    }

    // Where the Grafana provider pushes the dashboards: its URL (credentials never) and the folders.
    const providers = resources.filter((r) => r.type === GRAFANA_PROVIDER_TYPE);
    if (providers.length > 0) {
        const folders = resources.filter((r) => r.type === FOLDER_TYPE);
        files.set(
            "grafana.yaml",
            stringify(
                {
                    grafana: providers.map((p) => ({ url: p.inputs.url, auth: p.inputs.auth === undefined ? undefined : SECRET_PLACEHOLDER })),
                    folders: folders.map((f) => ({ title: f.inputs.title, uid: f.inputs.uid })),
                    dashboards: resources
                        .filter((r) => r.type === DASHBOARD_TYPE && typeof dashboardModels.get(r.name) === "string")
                        .map((d) => ({ uid: (JSON.parse(String(dashboardModels.get(d.name))) as { uid: string }).uid, folder: d.inputs.folder })),
                },
                { lineWidth: 0 },
            ),
        );
    }

    const dashboards: string[] = [];
    for (const [i, r] of resources.entries()) {
        // A model that holds a secret (an encrypted runbook URL) is a secret as a whole; the render only
        // ever holds the placeholders of encrypted values (it decrypts nothing), so it is written as it is.
        const model = dashboardModels.get(r.name);
        if (r.type === DASHBOARD_TYPE && typeof model === "string") {
            dashboards.push(model);
        }
        if (r.inputs.kind === "ConfigMap" && meta(r).labels?.grafana_dashboard === "1") {
            // Read through the markers, like the Dashboard model above (the ConfigMap's data is a secret when a model holds one).
            dashboards.push(...Object.values((unwrapDeep(recorded[i].inputs.data) ?? {}) as Record<string, string>));
        }
    }
    for (const json of dashboards) {
        const model = JSON.parse(json) as { uid: string };
        files.set(`dashboards/${model.uid}.json`, `${JSON.stringify(model, null, 2)}\n`);
    }
    return files;
}
