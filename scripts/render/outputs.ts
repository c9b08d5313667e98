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
 * A Secret as a valid Secret object: its key names with the placeholder as every value (whether the
 * whole map or single values are Pulumi secrets), so the render can be applied or diffed as a
 * manifest and still holds no credential.
 */
export function placeholderSecret(inputs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...inputs };
    for (const field of ["data", "stringData"]) {
        const raw = unwrapSecret(inputs[field]);
        if (raw === undefined) {
            continue;
        }
        out[field] =
            typeof raw === "object" && raw !== null && !Array.isArray(raw) ? Object.fromEntries(Object.keys(raw).map((k) => [k, SECRET_PLACEHOLDER])) : {};
    }
    return out;
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

function isManifest(r: RecordedResource): boolean {
    return r.type.startsWith("kubernetes:") && !HELM_TYPES.has(r.type) && typeof r.inputs.kind === "string";
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

    for (const r of resources.filter((x) => HELM_TYPES.has(x.type))) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Helm resource's registered inputs, untyped
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

    for (const r of manifests.filter((x) => x.inputs.kind === "PrometheusRule")) {
        const m = meta(r);
        files.set(`rules/${m.namespace}-${m.name}.yaml`, stringify(r.inputs.spec, { lineWidth: 0 }));
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
                        .filter((r) => r.type === DASHBOARD_TYPE && typeof r.inputs.configJson === "string")
                        .map((d) => ({ uid: (JSON.parse(String(d.inputs.configJson)) as { uid: string }).uid, folder: d.inputs.folder })),
                },
                { lineWidth: 0 },
            ),
        );
    }

    const dashboards: string[] = [];
    for (const r of resources) {
        if (r.type === DASHBOARD_TYPE && typeof r.inputs.configJson === "string") {
            dashboards.push(r.inputs.configJson);
        }
        if (r.inputs.kind === "ConfigMap" && meta(r).labels?.grafana_dashboard === "1") {
            dashboards.push(...Object.values((r.inputs.data ?? {}) as Record<string, string>));
        }
    }
    for (const json of dashboards) {
        const model = JSON.parse(json) as { uid: string };
        files.set(`dashboards/${model.uid}.json`, `${JSON.stringify(model, null, 2)}\n`);
    }
    return files;
}
