/** Monitoring enums of the public API, in a module without zod so the package's declarations never load zod's. */

export enum GrafanaServiceType {
    LoadBalancer = "LoadBalancer",
    ClusterIP = "ClusterIP",
}

export enum RemoteWriteAuth {
    None = "none",
    Basic = "basic",
    Bearer = "bearer",
}
