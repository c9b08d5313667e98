import { AddressRange, isIpAddress, parseAddressEntry, rangesOverlap } from "./addresses";
import { Problem } from "./problems";
import { arr, checkPoolAddress, checkPoolRef, isObj, names, notDefined, Obj, str } from "./raw";
import { goDurationMs } from "../util/duration";

/**
 * Checks that relate several settings of the `metallb:` namespace. They read the raw values
 * defensively (anything may be malformed; the shape errors come from schema.ts) so that one bad
 * entry does not hide the other problems.
 */


const STANDARD_COMMUNITY = /^\d{1,5}:\d{1,5}$/;
const LARGE_COMMUNITY = /^large:\d+:\d+:\d+$/;
/** Default BGP hold time of MetalLB and FRR when none is configured. */
const DEFAULT_HOLD_MS = 90_000;

function duplicates(list: unknown, where: string, what: string): Problem[] {
    const seen = new Map<string, number>();
    const out: Problem[] = [];
    arr(list).forEach((e, i) => {
        const name = isObj(e) ? str(e.name) : undefined;
        if (name === undefined) {
            return;
        }
        const first = seen.get(name);
        if (first !== undefined) {
            out.push({
                path: `${where}[${i}].name`,
                message: `duplicate ${what} name "${name}" (also used by ${where}[${first}]); names must be unique`,
            });
        } else {
            seen.set(name, i);
        }
    });
    return out;
}

function checkPools(pools: unknown): Problem[] {
    const out: Problem[] = duplicates(pools, "metallb:pools", "pool");
    const ranges: { path: string; pool: string; range: AddressRange }[] = [];
    arr(pools).forEach((pool, i) => {
        if (!isObj(pool)) {
            return;
        }
        const poolName = str(pool.name) ?? `#${i}`;
        arr(pool.addresses).forEach((entry, j) => {
            const path = `metallb:pools[${i}].addresses[${j}]`;
            if (typeof entry !== "string") {
                return; // reported by the schema
            }
            const parsed = parseAddressEntry(entry);
            if (!parsed.ok) {
                out.push({ path, message: parsed.error });
                return;
            }
            for (const other of ranges) {
                if (rangesOverlap(other.range, parsed.range)) {
                    const where = other.pool === poolName ? `another entry of pool "${poolName}"` : `pool "${other.pool}"`;
                    out.push({
                        path,
                        message: `"${entry}" overlaps "${other.range.text}" of ${where} (${other.path}); every address may belong to one pool entry only`,
                    });
                }
            }
            ranges.push({ path, pool: poolName, range: parsed.range });
        });
    });
    return out;
}

function checkPoolRefs(list: unknown, where: string, pools: Set<string>): Problem[] {
    const out: Problem[] = [];
    arr(list).forEach((adv, i) => {
        if (!isObj(adv)) {
            return;
        }
        arr(adv.ipAddressPools).forEach((ref, j) => {
            if (typeof ref === "string" && !pools.has(ref)) {
                out.push({
                    path: `${where}[${i}].ipAddressPools[${j}]`,
                    message: notDefined("pool", ref, "metallb:pools", pools),
                });
            }
        });
    });
    return out;
}

function checkPeers(bgp: Obj, native: boolean, passwords: unknown): Problem[] {
    const out: Problem[] = [];
    const bfdNames = new Set(names(bgp.bfdProfiles));
    const peerNames = new Set(names(bgp.peers));
    arr(bgp.peers).forEach((peer, i) => {
        if (!isObj(peer)) {
            return;
        }
        const at = `metallb:bgp.peers[${i}]`;
        const name = str(peer.name) ?? `#${i}`;
        if (peer.myASN === undefined) {
            out.push({ path: `${at}.myASN`, message: `peer "${name}" needs myASN, the cluster's own AS number (0-4294967295)` });
        }
        const hasPeerAsn = peer.peerASN !== undefined;
        const hasDynamic = peer.dynamicASN !== undefined;
        if (hasPeerAsn === hasDynamic) {
            out.push({
                path: `${at}.peerASN`,
                message: hasPeerAsn
                    ? `peer "${name}" sets both peerASN and dynamicASN; set exactly one`
                    : `peer "${name}" needs exactly one of peerASN (the router's AS number) or dynamicASN (internal|external)`,
            });
        }
        const hasAddress = peer.peerAddress !== undefined;
        const hasInterface = peer.interface !== undefined;
        if (hasAddress === hasInterface) {
            out.push({
                path: `${at}.peerAddress`,
                message: hasAddress
                    ? `peer "${name}" sets both peerAddress and interface; set exactly one`
                    : `peer "${name}" needs exactly one of peerAddress (the router's IP) or interface (unnumbered BGP)`,
            });
        }
        for (const field of ["peerAddress", "sourceAddress"] as const) {
            const v = peer[field];
            if (typeof v === "string" && !isIpAddress(v)) {
                out.push({ path: `${at}.${field}`, message: `"${v}" is not an IP address` });
            }
        }
        const hold = typeof peer.holdTime === "string" ? goDurationMs(peer.holdTime) : undefined;
        if (hold !== undefined && hold !== 0 && hold < 3000) {
            out.push({
                path: `${at}.holdTime`,
                message: `hold time "${String(peer.holdTime)}" is invalid: it must be 0 (no keepalives) or at least 3s (e.g. 90s)`,
            });
        }
        const keepalive = typeof peer.keepaliveTime === "string" ? goDurationMs(peer.keepaliveTime) : undefined;
        const effectiveHold = hold ?? DEFAULT_HOLD_MS;
        if (keepalive !== undefined && keepalive > effectiveHold) {
            out.push({
                path: `${at}.keepaliveTime`,
                message: `keepalive "${String(peer.keepaliveTime)}" is above the hold time (${hold === undefined ? "default 90s" : String(peer.holdTime)}); it must not exceed it (commonly a third of it)`,
            });
        }
        const bfd = str(peer.bfdProfile);
        if (bfd !== undefined && !bfdNames.has(bfd)) {
            out.push({
                path: `${at}.bfdProfile`,
                message: notDefined("BFD profile", bfd, "metallb:bgp.bfdProfiles", bfdNames),
            });
        }
        if (peer.password !== undefined) {
            out.push({
                path: `${at}.password`,
                message: `BGP passwords must not be given in plain config; remove it and run: pulumi config set --secret --path 'metallb:bgpPasswords.${name}' <password>`,
            });
        }
        if (native) {
            const frrOnly = ["bfdProfile", "keepaliveTime", "vrf", "connectTime", "enableGracefulRestart", "dynamicASN", "interface"].filter(
                (f) => peer[f] !== undefined,
            );
            if (frrOnly.length > 0) {
                out.push({
                    path: at,
                    message: `${frrOnly.join(", ")} ${frrOnly.length === 1 ? "is" : "are"} not supported by the native BGP backend (MetalLB rejects the peer); set metallb:bgpBackend to frr-k8s or remove ${frrOnly.length === 1 ? "it" : "them"}`,
                });
            }
        }
    });
    if (isObj(passwords)) {
        for (const peer of Object.keys(passwords)) {
            if (!peerNames.has(peer)) {
                out.push({
                    path: `metallb:bgpPasswords.${peer}`,
                    message: `is a password for peer "${peer}", which is not defined in metallb:bgp.peers`,
                });
            }
        }
    }
    return out;
}

function checkBgpAdvertisements(bgp: Obj, pools: Set<string>, native: boolean): Problem[] {
    const out = checkPoolRefs(bgp.advertisements, "metallb:bgp.advertisements", pools);
    const peers = new Set(names(bgp.peers));
    const aliases = new Set(names(bgp.communities));
    arr(bgp.advertisements).forEach((adv, i) => {
        if (!isObj(adv)) {
            return;
        }
        const at = `metallb:bgp.advertisements[${i}]`;
        arr(adv.peers).forEach((ref, j) => {
            if (typeof ref === "string" && !peers.has(ref)) {
                out.push({
                    path: `${at}.peers[${j}]`,
                    message: notDefined("peer", ref, "metallb:bgp.peers", peers),
                });
            }
        });
        arr(adv.communities).forEach((c, j) => {
            if (typeof c !== "string") {
                return;
            }
            const path = `${at}.communities[${j}]`;
            if (!STANDARD_COMMUNITY.test(c) && !LARGE_COMMUNITY.test(c) && !aliases.has(c)) {
                out.push({
                    path,
                    message: `"${c}" is neither a community (65000:100), a large community (large:65000:1:1) nor an alias from metallb:bgp.communities`,
                });
            } else if (native && LARGE_COMMUNITY.test(c)) {
                out.push({ path, message: `large communities are not supported by the native BGP backend; use frr-k8s` });
            }
        });
    });
    arr(bgp.communities).forEach((c, i) => {
        const value = isObj(c) ? str(c.value) : undefined;
        if (value !== undefined && !STANDARD_COMMUNITY.test(value) && !LARGE_COMMUNITY.test(value)) {
            out.push({
                path: `metallb:bgp.communities[${i}].value`,
                message: `"${value}" is not a community: use 65000:100 or large:65000:1:1`,
            });
        }
    });
    return out;
}

function checkSmokeTest(smoke: unknown, pools: unknown): Problem[] {
    if (!isObj(smoke)) {
        return [];
    }
    const pool = str(smoke.pool);
    return [...checkPoolRef("metallb:smokeTest.pool", pool, pools), ...checkPoolAddress("metallb:smokeTest.address", str(smoke.address), pools, pool)];
}

/** The BGP backend in effect: the configured one, else native without peers and frr-k8s with. */
export function effectiveBackend(configured: unknown, bgp: unknown): "native" | "frr-k8s" {
    if (configured === "native" || configured === "frr-k8s") {
        return configured;
    }
    return isObj(bgp) && arr(bgp.peers).length > 0 ? "frr-k8s" : "native";
}

/** Semantic checks over the raw `metallb:` settings. */
export function checkMetallb(raw: Obj): Problem[] {
    const out: Problem[] = [];
    const version = str(raw.chartVersion);
    if (version !== undefined && /^v?0\.16\.0$/.test(version)) {
        out.push({
            path: "metallb:chartVersion",
            message: `0.16.0 crash-loops the controller on nodes without a speaker (metallb/metallb#3061); use 0.16.1 or later`,
        });
    } else if (version !== undefined && /^v?0\.(\d|1[0-5])\.\d+$/.test(version)) {
        out.push({
            path: "metallb:chartVersion",
            message: `${version} is older than 0.16.1; this project monitors MetalLB's HTTPS metrics endpoints introduced in 0.16 (use 0.16.1 or later)`,
        });
    }
    const pools = new Set(names(raw.pools));
    const bgp = isObj(raw.bgp) ? raw.bgp : {};
    const native = effectiveBackend(raw.bgpBackend, bgp) === "native";
    out.push(...checkPools(raw.pools));
    out.push(...duplicates(raw.l2Advertisements, "metallb:l2Advertisements", "L2 advertisement"));
    out.push(...checkPoolRefs(raw.l2Advertisements, "metallb:l2Advertisements", pools));
    out.push(...duplicates(bgp.peers, "metallb:bgp.peers", "BGP peer"));
    out.push(...duplicates(bgp.advertisements, "metallb:bgp.advertisements", "BGP advertisement"));
    out.push(...duplicates(bgp.bfdProfiles, "metallb:bgp.bfdProfiles", "BFD profile"));
    out.push(...duplicates(bgp.communities, "metallb:bgp.communities", "community alias"));
    out.push(...checkPeers(bgp, native, raw.bgpPasswords));
    out.push(...checkBgpAdvertisements(bgp, pools, native));
    if (native && arr(bgp.bfdProfiles).length > 0) {
        out.push({
            path: "metallb:bgp.bfdProfiles",
            message: "BFD is not supported by the native BGP backend (MetalLB rejects any BFDProfile); set metallb:bgpBackend to frr-k8s",
        });
    }
    out.push(...checkSmokeTest(raw.smokeTest, raw.pools));
    if (arr(bgp.advertisements).length > 0 && arr(bgp.peers).length === 0) {
        out.push({ path: "metallb:bgp.advertisements", message: "BGP advertisements are configured but metallb:bgp.peers is empty" });
    }
    return out;
}
