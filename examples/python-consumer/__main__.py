"""MetalLB with its whole monitoring stack, from a Pulumi Python program.

The SDK is generated from this repository's package schema:

    cd examples/python-consumer
    pulumi package add ../..            # or github.com/metallb-observability/metallb-observability@v0.1.0
    pulumi stack select dev --create
    pulumi config set --secret grafanaAdminPassword '<password>'
    pulumi up

Each section takes the keys of the stack config of the same name (docs/configuration.md), as they
are (camelCase: they are map keys, not Python arguments). Credentials may be Outputs (here a config
secret); the component keeps them secret. tests/package/pythonConsumer.test.ts checks the component,
argument and output names against the package schema as Pulumi's Python SDK generator names them.
"""

import pulumi
import pulumi_metallb_observability as mo

config = pulumi.Config()

stack = mo.MetalLbObservability(
    "metallb-observability",
    metallb={
        "pools": [
            {"name": "default", "addresses": ["192.168.1.240-192.168.1.249"]},
            # Grafana's own address: reserved (never handed out, never alerted on as full).
            {"name": "grafana", "addresses": ["192.168.1.250/32"], "autoAssign": False},
        ],
        "l2Advertisements": [{"name": "default"}],
    },
    monitoring={
        "prometheus": {"retention": "7d"},
        "grafanaAdminPassword": config.require_secret("grafanaAdminPassword"),
        "grafana": {
            "service": {
                "type": "LoadBalancer",
                "pool": "grafana",
                "address": "192.168.1.250",
                "loadBalancerSourceRanges": ["192.168.1.0/24"],
            },
        },
    },
    alerts={"poolUsageWarningPercent": 75},
)

pulumi.export("prometheusUrl", stack.prometheus_url)
pulumi.export("grafanaUrl", stack.grafana_url)
pulumi.export("alertNames", stack.alert_names)
pulumi.export("reservedPools", stack.reserved_pools)
