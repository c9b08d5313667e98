import * as k8s from "@pulumi/kubernetes";
import * as kx from "@pulumi/kubernetesx";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isIpAddress } from "../lib/metallb/addresses";
import { assertType, Equals, input, k8sLabelName, k8sName } from "../lib/util/schema";
import { componentType, forwardDependsOn, parseArgs } from "./args";

/** Kubernetes' own e2e echo server: answers HTTP on 8080 with what it received. */
export const ECHO_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53";

export interface SmokeTestArgs {
    /** Namespace created for the echo workload. Default `metallb-smoke-test`. */
    namespace?: string;
    /** IPAddressPool to take the address from (`metallb.io/address-pool`); unset lets MetalLB choose. */
    pool?: pulumi.Input<string>;
    /** A fixed address from a pool (`metallb.io/loadBalancerIPs`). */
    address?: pulumi.Input<string>;
    /** Echo replicas (default 2, so an L2 failover can be observed). */
    replicas?: number;
}

const smokeTestArgs = z.strictObject({
    namespace: k8sLabelName.optional(),
    pool: input(k8sName).optional(),
    address: input(z.string().refine(isIpAddress, { error: "is not an IP address" })).optional(),
    replicas: z.number().int().min(1).max(10).optional(),
});
assertType<Equals<z.input<typeof smokeTestArgs>, SmokeTestArgs>>();

const TYPE = componentType("SmokeTest", "metallb-observability:smoke:SmokeTest");

/**
 * An echo Deployment behind a LoadBalancer Service (built with @pulumi/kubernetesx, an optional peer
 * dependency: import it from `metallb-observability/smoke-test`). Pass `dependsOn: [addressPools]`. `pulumi up`
 * waits until the Service has an external address, which proves end to end that MetalLB hands
 * out addresses from the pool; the traffic it serves feeds the Layer 2 panels.
 */
export class SmokeTest extends pulumi.ComponentResource {
    /** Address MetalLB assigned to the Service. */
    public readonly address: pulumi.Output<string>;
    /** The LoadBalancer Service MetalLB assigns the address to. */
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: SmokeTestArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        args = parseArgs("SmokeTest", name, smokeTestArgs, args);
        super(TYPE.type, name, {}, TYPE.opts(opts));
        const namespace = args.namespace ?? "metallb-smoke-test";

        const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: namespace } }, { parent: this, dependsOn: forwardDependsOn(opts) });
        const pod = new kx.PodBuilder({
            containers: [
                {
                    name: "echo",
                    image: ECHO_IMAGE,
                    args: ["netexec", "--http-port=8080"],
                    ports: { http: 8080 },
                    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
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
                spec: { type: kx.types.ServiceType.LoadBalancer, selector: deployment.spec.selector.matchLabels, ports: { http: 8080 } },
            },
            { parent: this, dependsOn: forwardDependsOn(opts, ns) },
        );
        // kx's `endpoint` getter assumes status.loadBalancer.ingress is always present; read it defensively.
        this.address = this.service.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.ip ?? s?.loadBalancer?.ingress?.[0]?.hostname ?? "");
        this.registerOutputs({ address: this.address });
    }
}
