/**
 * First install of MetalLB 0.16: two different things must be true before a MetalLB custom
 * resource can be created, and the chart makes Pulumi wait for neither.
 *
 * 1. The CA bundle. cert-controller (open-policy-agent/cert-controller, used by MetalLB's
 *    internal/k8s/webhook.go L32-43) writes the CA into the ValidatingWebhookConfiguration and the
 *    `bgppeers` CRD's conversion webhook as soon as its Secret exists. Annotating those objects with
 *    `pulumi.com/waitFor` makes Pulumi wait for it (the CRD conversion needs it for every read of a
 *    BGPPeer).
 * 2. A webhook that listens. The CA is written before the certificate files reach the pod, and
 *    MetalLB starts its webhook server only once they are mounted (internal/k8s/k8s.go L374-391);
 *    the chart's readiness probe is `/readyz`, a plain ping (k8s.go L369-371). So the controller is
 *    Ready while 9443 still refuses connections, and an IPAddressPool created then fails with
 *    "failed calling webhook ... connection refused" (metallb/metallb#1597, #1610), which
 *    pulumi-kubernetes does not retry. `withWebhookReadiness` gives the `controller` container a
 *    TCP readiness probe on its `webhook-server` port (chart templates/controller.yaml L106-113),
 *    so the Deployment (which Pulumi awaits) and the webhook Service's endpoints become ready only
 *    when the webhook accepts connections.
 */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";

export const WEBHOOK_CONFIGURATION_TYPE = "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration";
export const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";
export const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";
export const CONVERTED_CRD = "bgppeers.metallb.io";

/** Container and port names of the chart's controller (templates/controller.yaml L55, L111). */
export const CONTROLLER_CONTAINER = "controller";
export const WEBHOOK_PORT_NAME = "webhook-server";

export const CRD_CA_CONDITION = "jsonpath={.spec.conversion.webhook.clientConfig.caBundle}";

// Chart objects as a transform receives them: untyped Kubernetes manifests.
// biome-ignore lint/suspicious/noExplicitAny: untyped Kubernetes manifests, as a transform receives them
type Props = Record<string, any>;

/**
 * One condition per webhook entry. pulumi-kubernetes' JSONPath condition is satisfied by the first
 * match only (pkg/jsonpath/jsonpath.go `Matches` reads `results[0]`), so
 * `{.webhooks[*].clientConfig.caBundle}` holds as soon as one entry has its CA. A JSON array of
 * conditions in the annotation must all hold (pkg/metadata/overrides.go `ReadyCondition`), so
 * the annotation names every entry by its index in the declared object.
 */
export function webhookCaConditions(webhooks: readonly unknown[]): string[] {
    return webhooks.map((_, i) => `jsonpath={.webhooks[${i}].clientConfig.caBundle}`);
}

function withAnnotation(props: Props, value: string): Props {
    const metadata = props.metadata ?? {};
    return { ...props, metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), [WAIT_FOR_ANNOTATION]: value } } };
}

/**
 * Returns the chart object's props with the wait annotation added, or undefined when the object is
 * not one whose CA the install depends on. Pure: it never modifies its input.
 */
export function addWebhookWaitFor(type: string, props: Props): Props | undefined {
    if (type === WEBHOOK_CONFIGURATION_TYPE) {
        const webhooks: unknown[] = Array.isArray(props?.webhooks) ? props.webhooks : [];
        if (webhooks.length === 0) {
            return undefined;
        }
        return withAnnotation(props, JSON.stringify(webhookCaConditions(webhooks)));
    }
    if (type === CRD_TYPE && props?.metadata?.name === CONVERTED_CRD) {
        return withAnnotation(props, CRD_CA_CONDITION);
    }
    return undefined;
}

/**
 * Probe that succeeds once the webhook server accepts TCP connections. The image is distroless (no
 * shell for an exec probe) and controller-runtime's webhook server has no health path (any GET
 * answers 404), so a TCP connect is the signal available. The chart's timings are kept.
 */
export function webhookReadinessProbe(previous?: Props): Props {
    const timing = Object.fromEntries(
        ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"]
            .filter((k) => previous?.[k] !== undefined)
            .map((k) => [k, previous![k]]),
    );
    return { tcpSocket: { port: WEBHOOK_PORT_NAME }, periodSeconds: 5, ...timing };
}

/**
 * The controller Deployment with the `controller` container's readiness probe replaced by a TCP
 * probe on its `webhook-server` port; undefined for any other object, or when the chart runs without
 * a webhook (`controller.webhookMode: disabled` drops the port, L109). Pure.
 */
export function withWebhookReadiness(type: string, props: Props): Props | undefined {
    if (type !== DEPLOYMENT_TYPE) {
        return undefined;
    }
    const podSpec = props?.spec?.template?.spec;
    const containers: Props[] = Array.isArray(podSpec?.containers) ? podSpec.containers : [];
    const index = containers.findIndex(
        (c) => c?.name === CONTROLLER_CONTAINER && Array.isArray(c.ports) && c.ports.some((p: Props) => p?.name === WEBHOOK_PORT_NAME),
    );
    if (index < 0) {
        return undefined;
    }
    const container = { ...containers[index], readinessProbe: webhookReadinessProbe(containers[index].readinessProbe) };
    const nextContainers = containers.map((c, i) => (i === index ? container : c));
    return {
        ...props,
        spec: { ...props.spec, template: { ...props.spec.template, spec: { ...podSpec, containers: nextContainers } } },
    };
}

/**
 * Both as one Pulumi resource transform for the chart's children (pulumi.ResourceTransform's shape,
 * without depending on the runtime): props changed, options kept; undefined leaves an object alone.
 */
export function webhookGateTransform<O>(args: { type: string; props: Props; opts: O }): { props: Props; opts: O } | undefined {
    const props = addWebhookWaitFor(args.type, args.props) ?? withWebhookReadiness(args.type, args.props);
    return props ? { props, opts: args.opts } : undefined;
}

/**
 * Whether MetalLB's controller writes the webhook CA bundles, judged from the chart values the
 * component passes (after the user's overrides). metallb chart 0.16.1: the controller gets
 * `--webhook-mode=<controller.webhookMode>` only when the value is non-empty (templates/controller.yaml
 * L72-74; the binary defaults to `enabled`, controller/main.go L172), and its cert rotator runs only
 * with the webhook enabled (`enabled` or `onlywebhook`, main.go L252-261) and without
 * `--disable-cert-rotation` (main.go L168), a flag the chart has no value for. With
 * `webhookMode: disabled` or `controller.enabled: false` nobody fills the caBundle of
 * `metallb-webhook-configuration` and of the bgppeers conversion (both still rendered), so a
 * `pulumi.com/waitFor` on them would wait until the await timeout and fail the `up`.
 */
export function metallbManagesWebhookCerts(values: Props | undefined): boolean {
    const controller: Props = values?.controller ?? {};
    if (controller.enabled === false) {
        return false;
    }
    const mode = controller.webhookMode;
    return mode === undefined || mode === null || mode === "" || mode === "enabled" || mode === "onlywebhook";
}

/**
 * The chart transforms for the given values: the webhook gate (wait annotations and readiness
 * probe) only when MetalLB manages its webhook certificates, none otherwise.
 */
export function webhookGateTransforms(values: Props | undefined): (typeof webhookGateTransform)[] {
    return metallbManagesWebhookCerts(values) ? [webhookGateTransform] : [];
}
