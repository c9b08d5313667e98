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

/** Pod annotation that changes with the admin password, so the pod restarts and the init container runs. */
export const ADMIN_PASSWORD_REVISION_ANNOTATION = "metallb-observability/admin-password-revision";

export interface AdminSecretRef {
    readonly name: string;
    readonly passwordKey: string;
}

/**
 * Shell run by the init container. Grafana applies `GF_SECURITY_ADMIN_PASSWORD` only when it
 * creates its database (real-cluster.md section 5), so on every later start this sets the admin
 * password to the Secret's with `grafana cli admin reset-admin-password --password-from-stdin`
 * (grafana/grafana pkg/cmd/grafana-cli/commands/reset_password_command.go: reads stdin with that
 * flag, updates user id 1 by default). The password goes through stdin, never argv. On the very
 * first start there is no database yet and Grafana itself applies the password: nothing to do.
 * The image's GF_PATHS_* variables and the mounted grafana.ini locate the database.
 */
export const RESET_ADMIN_PASSWORD_SCRIPT = [
    "set -eu",
    `if [ ! -s ${GRAFANA_DATA_DIR}/grafana.db ]; then echo "no Grafana database yet (first start): Grafana applies the admin password itself"; exit 0; fi`,
    `printf '%s' "$GRAFANA_ADMIN_PASSWORD" | grafana cli --homepath /usr/share/grafana admin reset-admin-password --password-from-stdin`,
].join("\n");

/**
 * Init container for the Grafana chart's `extraInitContainers` (rendered through `tpl`, so the
 * image is the Grafana container's own: grafana chart 12.11.1 values `image.registry`,
 * `image.repository`, `image.tag` defaulting to the chart's appVersion). Mounts the chart's volumes
 * `storage` (the database) and `config` (grafana.ini), and reads the password from the admin Secret.
 */
export function adminPasswordResetInitContainer(secret: AdminSecretRef): Record<string, unknown> {
    return {
        name: "reset-admin-password",
        image: "{{ .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}",
        command: ["/bin/sh", "-c", RESET_ADMIN_PASSWORD_SCRIPT],
        env: [{ name: "GRAFANA_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: secret.name, key: secret.passwordKey } } }],
        volumeMounts: [
            { name: "storage", mountPath: GRAFANA_DATA_DIR },
            { name: "config", mountPath: GRAFANA_INI, subPath: "grafana.ini" },
        ],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    };
}
