/**
 * MetalLB's controller generates its webhook certificate at start-up and only then patches the CA
 * into the ValidatingWebhookConfiguration and the bgppeers CRD's conversion webhook
 * (internal/k8s/webhook.go). In 0.16 the controller reports Ready before that (`/readyz` is a plain
 * ping), so an IPAddressPool created right after the chart can fail with "failed calling webhook"
 * (metallb/metallb#1610, #1597). Annotating those objects with `pulumi.com/waitFor` makes Pulumi
 * wait until the CA is really there; custom resources that depend on the chart then wait too.
 */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";

export const WEBHOOK_CONFIGURATION_TYPE = "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration";
export const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";
export const CONVERTED_CRD = "bgppeers.metallb.io";

export const CA_BUNDLE_CONDITIONS: Readonly<Record<string, string>> = {
    [WEBHOOK_CONFIGURATION_TYPE]: "jsonpath={.webhooks[*].clientConfig.caBundle}",
    [CRD_TYPE]: "jsonpath={.spec.conversion.webhook.clientConfig.caBundle}",
};

type Props = Record<string, any>;

/**
 * Returns the chart object's props with the wait annotation added, or undefined when the object is
 * not one the webhook readiness depends on. Pure: it never modifies its input.
 */
export function addWebhookWaitFor(type: string, props: Props): Props | undefined {
    const condition = CA_BUNDLE_CONDITIONS[type];
    if (condition === undefined) {
        return undefined;
    }
    if (type === CRD_TYPE && props?.metadata?.name !== CONVERTED_CRD) {
        return undefined;
    }
    const metadata = props.metadata ?? {};
    return {
        ...props,
        metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), [WAIT_FOR_ANNOTATION]: condition } },
    };
}

/**
 * The same as a Pulumi resource transform for the chart's children (pulumi.ResourceTransform's
 * shape, without depending on the runtime): props annotated, options kept.
 */
export function webhookGateTransform<O>(args: { type: string; props: Props; opts: O }): { props: Props; opts: O } | undefined {
    const props = addWebhookWaitFor(args.type, args.props);
    return props ? { props, opts: args.opts } : undefined;
}
