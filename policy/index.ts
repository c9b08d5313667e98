import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

// pulumi preview --policy-pack policy   (see README, "Policy guard rails")
new PolicyPack("metallb-observability", { policies: POLICIES });
