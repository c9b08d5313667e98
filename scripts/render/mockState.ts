import { unwrapSecret } from "./outputs";

/**
 * State the mock runtime returns for a registered resource: its inputs, plus the computed
 * outputs later resources read, so that nothing downstream turns unknown.
 */
export function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "grafana:oss/folder:Folder":
            return { ...inputs, uid: inputs.uid ?? `${name}-uid` };
        case "grafana:oss/dashboard:Dashboard": {
            // The model is a secret when it holds one (an encrypted runbook URL): read it through the marker.
            const uid = JSON.parse(String(unwrapSecret(inputs.configJson) ?? "{}")).uid ?? `${name}-uid`;
            return { ...inputs, uid, url: `http://grafana.invalid/d/${uid}` };
        }
        case "kubernetes:helm.sh/v3:Release":
            return { ...inputs, status: { name: inputs.name ?? name, namespace: inputs.namespace, status: "deployed" } };
        case "random:index/randomId:RandomId":
            // Stable under mocks (the render must be byte-identical); random in a real deployment.
            return { ...inputs, hex: "0".repeat(2 * Number(inputs.byteLength ?? 8)) };
        case "random:index/randomPassword:RandomPassword":
            return { ...inputs, result: `${name}-generated` };
        default:
            return inputs;
    }
}
