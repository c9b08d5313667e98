import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";

/**
 * Properties of the package schema that hold credentials. Pulumi's component analyzer builds the
 * schema from the TypeScript types and has no notion of a secret, so the provider marks these
 * `secret: true`: every language's SDK then handles them as secrets (e.g. Python's generated
 * `pulumi.Output.secret` wrapping, and no plaintext in `pulumi preview --diff`).
 */
export const SECRET_PROPERTIES: readonly { readonly where: "input" | "output" | "type"; readonly name: string; readonly property: string }[] = [
    { where: "input", name: "AddressPools", property: "bgpPasswords" },
    { where: "type", name: "GrafanaTargetArgs", property: "auth" },
    { where: "type", name: "GrafanaArgs", property: "adminPassword" },
    { where: "type", name: "PagerDutyReceiverArgs", property: "routingKey" },
    { where: "type", name: "SlackReceiverArgs", property: "webhookUrl" },
    { where: "type", name: "HeartbeatReceiverArgs", property: "url" },
    { where: "type", name: "RemoteWriteArgs", property: "credential" },
    { where: "type", name: "RemoteWriteArgs", property: "headers" },
    { where: "output", name: "MonitoringStack", property: "grafanaAdminPassword" },
    { where: "output", name: "MetalLbObservability", property: "grafanaAdminPassword" },
];

interface SchemaProperty {
    secret?: boolean;
}
interface SchemaObject {
    properties?: Record<string, SchemaProperty>;
    inputProperties?: Record<string, SchemaProperty>;
}

/** The schema with every credential property marked secret; a listed property the schema lacks is an error. */
export function markSecretProperties(schemaJson: string): string {
    const schema = JSON.parse(schemaJson) as { name: string; resources: Record<string, SchemaObject>; types?: Record<string, SchemaObject> };
    for (const s of SECRET_PROPERTIES) {
        const token = `${schema.name}:index:${s.name}`;
        const owner = s.where === "type" ? schema.types?.[token] : schema.resources[token];
        const props = s.where === "input" ? owner?.inputProperties : owner?.properties;
        const prop = props?.[s.property];
        if (!prop) {
            throw new Error(`package schema: ${s.where} ${s.name}.${s.property} (listed in provider/secrets.ts) does not exist`);
        }
        prop.secret = true;
    }
    return JSON.stringify(schema);
}

/** The component provider this package serves: Pulumi's, with the credentials marked secret in its schema. */
export class MetalLbObservabilityProvider extends ComponentProvider {
    override async getSchema(): Promise<string> {
        return markSecretProperties(await super.getSchema());
    }
}
