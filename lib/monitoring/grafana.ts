import { isIP } from "net";

/**
 * Grafana pieces of the kube-prometheus-stack values that need more than a constant: its URL from a
 * LoadBalancer address, and applying a changed admin password.
 */

/**
 * URL of a Grafana served on `address` (IPv4, IPv6 or a host name). An IPv6 literal is bracketed
 * (RFC 3986 section 3.2.2): `http://fd00::10` is not a URL, `http://[fd00::10]` is.
 */
export function grafanaUrlFor(address: string, scheme: "http" | "https" = "http"): string {
    const host = address.trim().replace(/^\[(.*)\]$/, "$1");
    return `${scheme}://${isIP(host) === 6 ? `[${host}]` : host}`;
}

/** How Grafana is exposed beyond the cluster; nothing (ClusterIP, reached by `kubectl port-forward`) by default. */
export interface GrafanaExposure {
    readonly serviceType: "LoadBalancer" | "ClusterIP";
    /** Fixed LoadBalancer address (from a MetalLB pool). */
    readonly address?: string;
    /** Ingress host (TLS terminated by the ingress controller). */
    readonly ingressHost?: string;
}

/**
 * Grafana's URL for its users, derived once from how it is exposed: https://<ingress host>, or
 * http://<LoadBalancer address>; undefined when it is only reachable through a port-forward.
 */
export function grafanaPublicUrl(e: GrafanaExposure): string | undefined {
    if (e.ingressHost !== undefined) {
        return grafanaUrlFor(e.ingressHost, "https");
    }
    return e.serviceType === "LoadBalancer" && e.address !== undefined ? grafanaUrlFor(e.address) : undefined;
}

/**
 * grafana.ini for that URL (Grafana configuration `[server] root_url`, `[security] cookie_secure`):
 * behind TLS the login cookie is only sent over https. Undefined without a public URL.
 */
export function grafanaIniFor(url: string | undefined): Record<string, unknown> | undefined {
    if (url === undefined) {
        return undefined;
    }
    const https = url.startsWith("https://");
    return { server: { root_url: url }, ...(https ? { security: { cookie_secure: true } } : {}) };
}

/** Where the Grafana chart mounts its data volume (`storage`) and its grafana.ini (`config`). */
export const GRAFANA_DATA_DIR = "/var/lib/grafana";
export const GRAFANA_INI = "/etc/grafana/grafana.ini";
/** The image's home path (grafana/grafana Dockerfile `GF_PATHS_HOME`). */
export const GRAFANA_HOME = "/usr/share/grafana";

/** Pod annotation that changes with the admin password, so the pod restarts and the init container runs. */
export const ADMIN_PASSWORD_REVISION_ANNOTATION = "metallb-observability/admin-password-revision";

/** Name of the init container in the Grafana pod. */
export const RESET_ADMIN_PASSWORD_CONTAINER = "reset-admin-password";

export interface AdminSecretRef {
    readonly name: string;
    readonly passwordKey: string;
}

// Grafana chart values as the user may override them: untyped.
// biome-ignore lint/suspicious/noExplicitAny: Grafana chart values as the user may override them
type Values = Record<string, any>;

/**
 * Shell run by the init container. Grafana applies `GF_SECURITY_ADMIN_PASSWORD` only when it
 * creates its database (real-cluster.md section 5), so on every later start this sets the admin
 * password to the Secret's with `grafana cli admin reset-admin-password --password-from-stdin`
 * (grafana/grafana pkg/cmd/grafana-cli/commands/reset_password_command.go: reads stdin with that
 * flag, updates user id 1 by default). The password goes through stdin, never argv.
 *
 * The CLI reads its configuration only from `--config` (the image's run.sh passes
 * `--config="$GF_PATHS_CONFIG"` to the server, not to the CLI) plus the GF_* environment, so it
 * gets the chart's grafana.ini and the main container's environment. The SQLite file is found the
 * way Grafana finds it: `GF_DATABASE_PATH`, else grafana.ini `[database] path` (passed as
 * INI_DATABASE_PATH; Grafana's conf/defaults.ini default `grafana.db`), relative to
 * `GF_PATHS_DATA` (the chart sets it from grafana.ini `paths.data`). No file there means a first
 * start (or an ephemeral volume): Grafana creates the admin user with the Secret's password itself.
 */
export const RESET_ADMIN_PASSWORD_SCRIPT = [
    "set -eu",
    'db="${GF_DATABASE_PATH:-$INI_DATABASE_PATH}"',
    'case "$db" in /*) ;; *) db="${GF_PATHS_DATA%/}/$db" ;; esac',
    'if [ ! -s "$db" ]; then echo "no Grafana database at $db yet (first start): Grafana applies the admin password itself"; exit 0; fi',
    `printf '%s' "$GRAFANA_ADMIN_PASSWORD" | grafana cli --homepath ${GRAFANA_HOME} --config ${GRAFANA_INI} admin reset-admin-password --password-from-stdin`,
].join("\n");

/**
 * The Grafana container's image as grafana chart 12.11.1 renders it (templates/_pod.tpl, container
 * `grafana`: `$registry := .Values.global.imageRegistry | default .Values.image.registry`, tag
 * defaulting to the chart's appVersion, optional `@sha256:`). `extraInitContainers` goes through
 * `tpl` with the chart's root context (_pod.tpl `tpl (toYaml .) $root`), so the init container runs
 * exactly the Grafana image, including a registry mirror.
 */
export const GRAFANA_IMAGE_TEMPLATE =
    "{{ .Values.global.imageRegistry | default .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{ with .Values.image.sha }}@sha256:{{ . }}{{ end }}";

/** `GF_PATHS_DATA` as the chart sets it on the Grafana container (_pod.tpl, from grafana.ini `paths.data`). */
export const GRAFANA_PATHS_DATA_TEMPLATE = '{{ (get .Values "grafana.ini").paths.data }}';

const mountOf = (m: Values) =>
    Object.fromEntries(Object.entries({ name: m.name, mountPath: m.mountPath, subPath: m.subPath, readOnly: m.readOnly }).filter(([, v]) => v !== undefined));

/**
 * Init container for the Grafana chart's `extraInitContainers`, built from the final (merged)
 * Grafana values so it sees what the main container sees (grafana chart 12.11.1 _pod.tpl, container
 * `grafana`): the image (GRAFANA_IMAGE_TEMPLATE), grafana.ini at GRAFANA_INI from the `config`
 * volume, the `storage` volume at GRAFANA_DATA_DIR with `persistence.subPath`, the extra volume
 * and secret mounts (a custom `paths.data` may live there), and the environment: `GF_PATHS_DATA`,
 * `envValueFrom`, `env`, and the `envFrom` sources (`envFromSecret`, `envFromSecrets`,
 * `envFromConfigMaps`). The chart renders all of it through `tpl`, as it does for its own container.
 */
export function adminPasswordResetInitContainer(secret: AdminSecretRef, grafana: Values = {}): Record<string, unknown> {
    const ini: Values = grafana["grafana.ini"] ?? {};
    const env: Record<string, unknown>[] = [
        { name: "GF_PATHS_DATA", value: GRAFANA_PATHS_DATA_TEMPLATE },
        ...Object.entries((grafana.envValueFrom ?? {}) as Values).map(([name, valueFrom]) => ({ name, valueFrom })),
        ...Object.entries((grafana.env ?? {}) as Values).map(([name, value]) => ({ name, value: String(value) })),
        { name: "INI_DATABASE_PATH", value: String(ini.database?.path ?? "grafana.db") },
        { name: "GRAFANA_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: secret.name, key: secret.passwordKey } } },
    ];
    const envFrom: Record<string, unknown>[] = [
        ...(grafana.envFromSecret ? [{ secretRef: { name: grafana.envFromSecret } }] : []),
        ...((grafana.envFromSecrets ?? []) as Values[]).map((s) => ({
            secretRef: { name: s.name, optional: s.optional ?? false },
            ...(s.prefix ? { prefix: s.prefix } : {}),
        })),
        ...((grafana.envFromConfigMaps ?? []) as Values[]).map((c) => ({
            configMapRef: { name: c.name, optional: c.optional ?? false },
            ...(c.prefix ? { prefix: c.prefix } : {}),
        })),
    ];
    const subPath = grafana.persistence?.subPath;
    return {
        name: RESET_ADMIN_PASSWORD_CONTAINER,
        image: GRAFANA_IMAGE_TEMPLATE,
        command: ["/bin/sh", "-c", RESET_ADMIN_PASSWORD_SCRIPT],
        env,
        ...(envFrom.length > 0 ? { envFrom } : {}),
        volumeMounts: [
            { name: "config", mountPath: GRAFANA_INI, subPath: "grafana.ini" },
            { name: "storage", mountPath: GRAFANA_DATA_DIR, ...(subPath ? { subPath } : {}) },
            ...((grafana.extraSecretMounts ?? []) as Values[]).map(mountOf),
            ...((grafana.extraVolumeMounts ?? []) as Values[]).map(mountOf),
        ],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    };
}

/**
 * The database Grafana uses according to the final values: grafana.ini `[database] type`, a
 * literal `GF_DATABASE_TYPE`, or the scheme of a `GF_DATABASE_URL` / `[database] url`; default
 * sqlite3 (Grafana conf/defaults.ini). Only literal values are visible here: a type set from a
 * Secret (`envFromSecret`) is not.
 */
export function grafanaDatabaseType(grafana: Values = {}): string {
    const db: Values = grafana["grafana.ini"]?.database ?? {};
    const env: Values = grafana.env ?? {};
    const url = env.GF_DATABASE_URL ?? db.url;
    const fromUrl = typeof url === "string" && /^([a-z0-9]+):\/\//i.test(url) ? /^([a-z0-9]+):/i.exec(url)![1].toLowerCase() : undefined;
    return String(env.GF_DATABASE_TYPE ?? db.type ?? fromUrl ?? "sqlite3").toLowerCase();
}

/**
 * Why the password reset cannot run with these Grafana values, if it cannot: with an external
 * database (mysql, postgres) Grafana keeps the admin user there, and the init container cannot tell
 * a first start (no admin user yet: the CLI fails) from a rotation, so it would either fail every
 * first install or silently leave the old password (and the Grafana provider gets 401). The user
 * opts out by replacing `grafana.extraInitContainers` (lists replace in `values`).
 */
export function adminPasswordResetProblem(grafana: Values = {}): string | undefined {
    const type = grafanaDatabaseType(grafana);
    if (type === "sqlite3" || type === "sqlite") {
        return undefined;
    }
    const ours = ((grafana.extraInitContainers ?? []) as Values[]).some((c) => c?.name === RESET_ADMIN_PASSWORD_CONTAINER);
    if (!ours) {
        return undefined;
    }
    return (
        `Grafana uses an external ${type} database, where the component cannot rotate the admin password ` +
        `(its init container resets it in Grafana's SQLite database before Grafana starts). ` +
        `Keep Grafana on SQLite (remove the [database] settings; grafana.persistence keeps it on a volume), or ` +
        `manage the admin password in Grafana yourself: set values.grafana.extraInitContainers to [] and change it in Grafana ` +
        `(UI, API, or \`grafana cli --config ${GRAFANA_INI} admin reset-admin-password\` in the pod) whenever grafana.adminPassword changes`
    );
}
