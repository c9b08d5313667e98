import * as assert from "assert";
import { registered } from "../support/pulumi";
import { ECHO_IMAGE, SmokeTest } from "../../components/smokeTest";

// @pulumi/kubernetesx declares a peer dependency on @pulumi/kubernetes ^3; npm `overrides` pins it
// to our v4. These tests prove what we use of it (PodBuilder, Deployment, Service) works on v4.
describe("SmokeTest component (@pulumi/kubernetesx on @pulumi/kubernetes v4)", () => {
    it("builds an echo Deployment and a LoadBalancer Service that asks MetalLB for the pool", async () => {
        new SmokeTest("smoke-a", { pool: "default", address: "192.168.1.240" });
        const regs = await registered("smoke-a");
        const deployment = regs.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const service = regs.find((r) => r.type === "kubernetes:core/v1:Service")!;
        assert.ok(deployment && service, "Deployment and Service registered");
        assert.strictEqual(deployment.inputs.spec.replicas, 2);
        const container = deployment.inputs.spec.template.spec.containers[0];
        assert.strictEqual(container.image, ECHO_IMAGE);
        assert.deepStrictEqual(container.ports, [{ name: "http", containerPort: 8080 }], "kx expands the port map");
        assert.strictEqual(service.inputs.spec.type, "LoadBalancer");
        assert.deepStrictEqual(service.inputs.spec.ports, [{ name: "http", port: 8080 }]);
        assert.deepStrictEqual(service.inputs.spec.selector, deployment.inputs.spec.selector.matchLabels, "Service selects the echo pods");
        assert.deepStrictEqual(deployment.inputs.spec.template.metadata.labels, deployment.inputs.spec.selector.matchLabels);
        assert.strictEqual(service.inputs.metadata.annotations["metallb.io/address-pool"], "default");
        assert.strictEqual(service.inputs.metadata.annotations["metallb.io/loadBalancerIPs"], "192.168.1.240");
    });
});
