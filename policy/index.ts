import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

// pulumi preview --policy-pack policy   (see docs/policy.md)
new PolicyPack("metallb-observability", { policies: POLICIES });
