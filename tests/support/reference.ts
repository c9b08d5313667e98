/**
 * Upstream data files (CRDs, chart values and their schemas, Grafana's JSON schemas) at the versions
 * this project pins. They are not ours, so they are not in the repository: the tests read them from a
 * reference directory, in this order:
 *
 * 1. `$METALLB_OBSERVABILITY_REFERENCE`, when set (a directory laid out as {@link REFERENCE_FILES} says);
 * 2. `../shared/reference/` beside the checkout (how CI and the team have it);
 * 3. a local cache (`$METALLB_OBSERVABILITY_REFERENCE_CACHE`, default
 *    `node_modules/.cache/metallb-observability-reference/`), filled on first use by downloading each
 *    file from the upstream repository at the exact pinned commit (raw GitHub URLs), unless
 *    `METALLB_OBSERVABILITY_REFERENCE_FETCH=0`.
 *
 * A file found nowhere fails with a message naming it and saying how to provide it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const REFERENCE_ENV = "METALLB_OBSERVABILITY_REFERENCE";
export const REFERENCE_CACHE_ENV = "METALLB_OBSERVABILITY_REFERENCE_CACHE";
export const REFERENCE_FETCH_ENV = "METALLB_OBSERVABILITY_REFERENCE_FETCH";
/** Base of the download URLs (`<base>/<owner>/<repo>/<commit>/<path>`); overridable for tests. */
export const REFERENCE_URL_ENV = "METALLB_OBSERVABILITY_REFERENCE_URL";
const RAW_GITHUB = "https://raw.githubusercontent.com";

const ROOT = path.resolve(__dirname, "../..");

/** An upstream repository at the exact commit of a pinned version. */
interface Pin {
    /** The version the project pins (chart version, or npm package version for Grafana's SDK). */
    readonly version: string;
    readonly repo: string;
    /** Tag (when there is one) and the commit it points to; files are downloaded at the commit. */
    readonly tag?: string;
    readonly commit: string;
}

/**
 * The pinned upstream versions the reference files belong to (the same commits the shared
 * reference's SOURCES.md files list).
 */
export const REFERENCE_VERSIONS = {
    /** MetalLB chart and app (metallb/metallb tag v0.16.1). */
    metallb: { version: "0.16.1", repo: "metallb/metallb", tag: "v0.16.1", commit: "791dfcc63ced7a6b3e869131eae75e645150fff0" },
    /** frr-k8s, the subchart MetalLB chart 0.16.1 depends on. */
    frrK8s: { version: "0.0.25", repo: "metallb/frr-k8s", tag: "v0.0.25", commit: "fc9b433c54374deeb461db3bd8ea91084e589837" },
    /** kube-prometheus-stack chart (prometheus-operator v0.93.1 CRDs); the chart repository has no per-chart tag at hand, so a commit. */
    kubePrometheusStack: { version: "88.5.3", repo: "prometheus-community/helm-charts", commit: "cf408a290aec489277a94450bb3511432477a53a" },
    /** Grafana chart 12.11.1, the subchart kube-prometheus-stack 88.5.3 pins (its Chart.yaml; grafana-community repository, no per-chart tag at hand). */
    grafana: { version: "12.11.1", repo: "grafana-community/helm-charts", commit: "3386a1156177c6bcd7fdb1ad4c6b1dda094296e0" },
    /** Grafana Foundation SDK's JSON schemas (the main line npm 0.0.21 is built from). */
    grafanaFoundationSdk: { version: "0.0.21", repo: "grafana/grafana-foundation-sdk", commit: "f178d5a42a8915fdda9235e97ad93881e3f94fef" },
} as const satisfies Record<string, Pin>;

type PinName = keyof typeof REFERENCE_VERSIONS;

const METALLB_CRDS = ["bfdprofiles", "bgpadvertisements", "bgppeers", "communities", "ipaddresspools", "l2advertisements"];
const PROMETHEUS_OPERATOR_CRDS = ["servicemonitors", "podmonitors", "prometheusrules"];
const GRAFANA_SCHEMAS = ["dashboard", "common", "stat", "gauge", "bargauge", "timeseries", "statetimeline", "table", "prometheus"];

/** The CRD files, as keys of {@link REFERENCE_FILES}. */
export const METALLB_CRD_FILES = METALLB_CRDS.map((c) => `metallb/metallb.io_${c}.yaml`);
export const PROMETHEUS_OPERATOR_CRD_FILES = PROMETHEUS_OPERATOR_CRDS.map((c) => `kube-prometheus-stack/monitoring.coreos.com_${c}.yaml`);

/** Every reference file: its path in the reference directory → where upstream keeps it. */
export const REFERENCE_FILES: Readonly<Record<string, { readonly pin: PinName; readonly path: string }>> = {
    "metallb/values.yaml": { pin: "metallb", path: "charts/metallb/values.yaml" },
    "metallb/values.schema.json": { pin: "metallb", path: "charts/metallb/values.schema.json" },
    ...Object.fromEntries(METALLB_CRDS.map((c, i) => [METALLB_CRD_FILES[i], { pin: "metallb" as const, path: `config/crd/bases/metallb.io_${c}.yaml` }])),
    "metallb/frr-k8s-v0.0.25/values.yaml": { pin: "frrK8s", path: "charts/frr-k8s/values.yaml" },
    "metallb/frr-k8s-v0.0.25/values.schema.json": { pin: "frrK8s", path: "charts/frr-k8s/values.schema.json" },
    ...Object.fromEntries(
        PROMETHEUS_OPERATOR_CRDS.map((c, i) => [
            PROMETHEUS_OPERATOR_CRD_FILES[i],
            { pin: "kubePrometheusStack" as const, path: `charts/kube-prometheus-stack/charts/crds/crds/crd-${c}.yaml` },
        ]),
    ),
    "kube-prometheus-stack/values.yaml": { pin: "kubePrometheusStack", path: "charts/kube-prometheus-stack/values.yaml" },
    "kube-prometheus-stack/Chart.yaml": { pin: "kubePrometheusStack", path: "charts/kube-prometheus-stack/Chart.yaml" },
    "kube-prometheus-stack/grafana-values.yaml": { pin: "grafana", path: "charts/grafana/values.yaml" },
    ...Object.fromEntries(
        GRAFANA_SCHEMAS.map((s) => [`grafana/${s}.jsonschema.json`, { pin: "grafanaFoundationSdk" as const, path: `jsonschema/${s}.jsonschema.json` }]),
    ),
};

/** The directories searched, in order, and the cache that downloads fill. */
export function referenceDirectories(env: NodeJS.ProcessEnv = process.env): { search: string[]; cache: string } {
    const cache = env[REFERENCE_CACHE_ENV] || path.join(ROOT, "node_modules", ".cache", "metallb-observability-reference");
    const explicit = env[REFERENCE_ENV];
    return { search: explicit ? [path.resolve(explicit), cache] : [path.resolve(ROOT, "..", "shared", "reference"), cache], cache };
}

/** The upstream URL of a reference file at its pinned commit. */
export function referenceUrl(file: string, env: NodeJS.ProcessEnv = process.env): string {
    const entry = REFERENCE_FILES[file];
    if (!entry) {
        throw new Error(`unknown reference file ${file}; known: ${Object.keys(REFERENCE_FILES).join(", ")}`);
    }
    const pin: Pin = REFERENCE_VERSIONS[entry.pin];
    return `${(env[REFERENCE_URL_ENV] || RAW_GITHUB).replace(/\/$/, "")}/${pin.repo}/${pin.commit}/${entry.path}`;
}

/** Downloads one URL into `target` (a child process, so callers stay synchronous). */
function download(url: string, target: string): void {
    const script =
        "fetch(process.argv[1], { signal: AbortSignal.timeout(30000) })" +
        ".then(async (r) => { if (!r.ok) throw new Error('HTTP ' + r.status); process.stdout.write(Buffer.from(await r.arrayBuffer())); })" +
        ".catch((e) => { process.stderr.write(String(e && e.cause ? e.cause : e)); process.exit(1); });";
    const body = execFileSync(process.execPath, ["-e", script, url], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    fs.writeFileSync(partial, body);
    fs.renameSync(partial, target);
}

/**
 * The absolute path of a reference file (e.g. `metallb/values.yaml`, a key of {@link REFERENCE_FILES}),
 * downloading it into the cache when no reference directory has it.
 */
export function referenceFile(file: string, env: NodeJS.ProcessEnv = process.env): string {
    const url = referenceUrl(file, env);
    const { search, cache } = referenceDirectories(env);
    for (const dir of search) {
        const candidate = path.join(dir, file);
        if (fs.existsSync(candidate)) {
            return candidate;
        }
    }
    const how =
        `Provide it in one of: ${search.join(", ")} ` +
        `(set ${REFERENCE_ENV} to a directory holding the upstream reference files), ` +
        `or download ${url} to ${path.join(cache, file)}.`;
    if (env[REFERENCE_FETCH_ENV] === "0") {
        throw new Error(`reference file ${file} is missing (downloads disabled by ${REFERENCE_FETCH_ENV}=0). ${how}`);
    }
    const target = path.join(cache, file);
    try {
        download(url, target);
    } catch (e) {
        const reason = (e as { stderr?: Buffer }).stderr?.toString().trim() || String(e);
        throw new Error(`reference file ${file} is missing and could not be downloaded from ${url} (${reason}). ${how}`, { cause: e });
    }
    return target;
}

/** The text of a reference file. */
export function readReference(file: string): string {
    return fs.readFileSync(referenceFile(file), "utf8");
}

/** A reference JSON file, parsed. */
export function readReferenceJson<T = unknown>(file: string): T {
    return JSON.parse(readReference(file)) as T;
}
