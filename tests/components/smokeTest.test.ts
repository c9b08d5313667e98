import * as assert from "assert";
import { registered } from "../support/pulumi";
import { ECHO_IMAGE, SmokeTest } from "../../components/smokeTest";

// @pulumi/kubernetesx declares a peer dependency on @pulumi/kubernetes ^3; npm `overrides` pins it
// to our v4. These tests prove what we use of it (PodBuilder, Deployment, Service) works on v4.
describe("SmokeTest component (@pulumi/kubernetesx on @pulumi/kubernetes v4)", () => {
    it("builds a hostname echo Deployment and a LoadBalancer Service that asks MetalLB for the pool", async () => {
        new SmokeTest("smoke-a", { pool: "default", address: "192.168.1.240", loadBalancerSourceRanges: ["192.168.1.0/24"] });
        const regs = await registered("smoke-a");
        const deployment = regs.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const service = regs.find((r) => r.type === "kubernetes:core/v1:Service")!;
        assert.ok(deployment && service, "Deployment and Service registered");
        assert.strictEqual(deployment.inputs.spec.replicas, 2);
        const container = deployment.inputs.spec.template.spec.containers[0];
        assert.strictEqual(container.image, ECHO_IMAGE);
        assert.deepStrictEqual(container.ports, [{ name: "http", containerPort: 9376 }], "kx expands the port map; serve-hostname listens on 9376");
        assert.strictEqual(service.inputs.spec.type, "LoadBalancer");
        assert.deepStrictEqual(service.inputs.spec.ports, [{ name: "http", port: 9376 }]);
        assert.deepStrictEqual(service.inputs.spec.selector, deployment.inputs.spec.selector.matchLabels, "Service selects the echo pods");
        assert.deepStrictEqual(deployment.inputs.spec.template.metadata.labels, deployment.inputs.spec.selector.matchLabels);
        assert.strictEqual(service.inputs.metadata.annotations["metallb.io/address-pool"], "default");
        assert.strictEqual(service.inputs.metadata.annotations["metallb.io/loadBalancerIPs"], "192.168.1.240");
    });

    it("runs only agnhost serve-hostname, never netexec (whose /shell runs any command)", async () => {
        new SmokeTest("smoke-cmd", { loadBalancerSourceRanges: ["10.0.0.0/8"] });
        const deployment = (await registered("smoke-cmd")).find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const container = deployment.inputs.spec.template.spec.containers[0];
        assert.strictEqual(container.command, undefined, "the image's entrypoint /agnhost");
        assert.strictEqual(container.args[0], "serve-hostname");
        assert.ok(!JSON.stringify(container).includes("netexec"));
    });

    it("is a Pod Security `restricted` pod in a namespace that enforces restricted", async () => {
        new SmokeTest("smoke-psa", { loadBalancerSourceRanges: ["10.0.0.0/8"] });
        const regs = await registered("smoke-psa");
        const ns = regs.find((r) => r.type === "kubernetes:core/v1:Namespace")!;
        assert.strictEqual(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        const pod = regs.find((r) => r.type === "kubernetes:apps/v1:Deployment")!.inputs.spec.template.spec;
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.strictEqual(pod.securityContext.runAsNonRoot, true);
        assert.ok(pod.securityContext.runAsUser > 0, "a numeric non-root user: the image declares none");
        assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault");
        const sc = pod.containers[0].securityContext;
        assert.strictEqual(sc.allowPrivilegeEscalation, false);
        assert.strictEqual(sc.readOnlyRootFilesystem, true);
        assert.deepStrictEqual(sc.capabilities.drop, ["ALL"]);
    });

    it("lets only loadBalancerSourceRanges reach the Service, and requires them", async () => {
        new SmokeTest("smoke-src", { loadBalancerSourceRanges: ["192.168.1.0/24", "fd00::/64"] });
        const service = (await registered("smoke-src")).find((r) => r.type === "kubernetes:core/v1:Service")!;
        assert.deepStrictEqual(service.inputs.spec.loadBalancerSourceRanges, ["192.168.1.0/24", "fd00::/64"]);
        assert.throws(() => new SmokeTest("smoke-none", { loadBalancerSourceRanges: [] }), /loadBalancerSourceRanges.*at least one client network/s);
        assert.throws(() => new SmokeTest("smoke-bad", { loadBalancerSourceRanges: ["192.168.1.7"] }), /"192.168.1.7" is not a CIDR/);
    });
});
