import * as k8s from "@pulumi/kubernetes";
// The one @pulumi/kubernetes type this file's declarations name, from its own module (see components/metallb.ts).
import type { Service } from "@pulumi/kubernetes/core/v1/service";
import * as kx from "@pulumi/kubernetesx";
import * as pulumi from "@pulumi/pulumi";
import type { SmokeTestArgs } from "./argTypes";
import { componentType, forwardDependsOn, parseArgs } from "./args";
import { smokeTestArgs } from "./schemas/smokeTest";

/**
 * Kubernetes' own e2e test image. Only its `serve-hostname` subcommand runs: it answers every HTTP
 * request with the pod's host name and nothing else (kubernetes/kubernetes
 * test/images/agnhost/serve-hostname: `--http` default true, `--port` default 9376). Never
 * `netexec`: its /shell runs any command, /dial forwards into the cluster, /upload writes files.
 */
export const ECHO_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53";
/** What the echo container runs (the image's entrypoint is /agnhost). */
export const ECHO_ARGS = ["serve-hostname", "--http=true", "--port=9376"] as const;
/** serve-hostname's port (above 1024: binds without privileges). */
export const ECHO_PORT = 9376;
/** Unprivileged user the echo runs as (the image declares none; `nobody`). */
export const ECHO_USER = 65534;
/** Pod Security labels of the smoke-test namespace: `restricted` enforced, warned and audited. */
export const SMOKE_TEST_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
};

const TYPE = componentType("SmokeTest", "metallb-observability:smoke:SmokeTest");

/**
 * A restricted hostname-echo Deployment behind a LoadBalancer Service open to `loadBalancerSourceRanges` only (built with @pulumi/kubernetesx, an optional peer
 * dependency: import it from `metallb-observability/smoke-test`). Pass `dependsOn: [addressPools]`. `pulumi up`
 * waits until the Service has an external address, which proves end to end that MetalLB hands
 * out addresses from the pool; the traffic it serves feeds the Layer 2 panels.
 */
export class SmokeTest extends pulumi.ComponentResource {
    /** Address MetalLB assigned to the Service. */
    public readonly address: pulumi.Output<string>;
    /** The LoadBalancer Service MetalLB assigns the address to. */
    public readonly service: Service;

    constructor(name: string, args: SmokeTestArgs, opts?: pulumi.ComponentResourceOptions) {
        args = parseArgs("SmokeTest", name, smokeTestArgs, args);
        super(TYPE.type, name, {}, TYPE.opts(opts));
        const namespace = args.namespace ?? "metallb-smoke-test";

        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: namespace, labels: { ...SMOKE_TEST_NAMESPACE_LABELS } } },
            { parent: this, dependsOn: forwardDependsOn(opts) },
        );
        // Pod Security `restricted` (kubernetes.io/docs/concepts/security/pod-security-standards):
        // non-root, no privilege escalation, every capability dropped, RuntimeDefault seccomp; plus a
        // read-only root filesystem and no service-account token (the echo never calls the API).
        const pod = new kx.PodBuilder({
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: ECHO_USER, runAsGroup: ECHO_USER, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                {
                    name: "echo",
                    image: ECHO_IMAGE,
                    args: [...ECHO_ARGS],
                    ports: { http: ECHO_PORT },
                    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                    securityContext: {
                        runAsNonRoot: true,
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                },
            ],
        });
        const deployment = new kx.Deployment(
            `${name}-echo`,
            { metadata: { name: "echo", namespace }, spec: pod.asDeploymentSpec({ replicas: args.replicas ?? 2 }) },
            { parent: this, dependsOn: [ns] },
        );
        const annotations: Record<string, pulumi.Input<string>> = {};
        if (args.pool !== undefined) {
            annotations["metallb.io/address-pool"] = args.pool;
        }
        if (args.address !== undefined) {
            annotations["metallb.io/loadBalancerIPs"] = args.address;
        }
        this.service = new kx.Service(
            `${name}-echo`,
            {
                metadata: { name: "echo", namespace, annotations },
                spec: {
                    type: kx.types.ServiceType.LoadBalancer,
                    selector: deployment.spec.selector.matchLabels,
                    ports: { http: ECHO_PORT },
                    loadBalancerSourceRanges: [...args.loadBalancerSourceRanges],
                },
            },
            { parent: this, dependsOn: forwardDependsOn(opts, ns) },
        );
        // kx's `endpoint` getter assumes status.loadBalancer.ingress is always present; read it defensively.
        this.address = this.service.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.ip ?? s?.loadBalancer?.ingress?.[0]?.hostname ?? "");
        this.registerOutputs({ address: this.address });
    }
}
