import * as ipaddr from "ipaddr.js";

/**
 * MetalLB address entries: parsing as MetalLB does, and the blocks no pool may hold. Shared by the
 * stack config, the components and the CrossGuard pack (policy/shared/ holds a byte-identical
 * copy, `npm run policy:sync`), so it imports nothing but ipaddr.js, which both declare.
 */

/** An inclusive address range of one IP family, as MetalLB's config parser understands it. */
export interface AddressRange {
    /** The entry as written in the config. */
    readonly text: string;
    readonly family: "ipv4" | "ipv6";
    readonly first: bigint;
    readonly last: bigint;
}

export type ParseResult = { ok: true; range: AddressRange } | { ok: false; error: string };

const EXAMPLES = "a CIDR such as 192.168.10.0/28 or fd00:10::/124, or a range such as 192.168.10.240-192.168.10.250";

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
    return addr.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

function fromBigInt(n: bigint, family: "ipv4" | "ipv6"): string {
    const bytes: number[] = [];
    for (let i = 0; i < (family === "ipv4" ? 4 : 16); i++) {
        bytes.unshift(Number(n & 0xffn));
        n >>= 8n;
    }
    return ipaddr.fromByteArray(bytes).toString();
}

function familyOf(addr: ipaddr.IPv4 | ipaddr.IPv6): "ipv4" | "ipv6" {
    return addr.kind() === "ipv4" ? "ipv4" : "ipv6";
}

function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
    // ipaddr.js accepts an IPv6 zone index (fe80::1%eth0); MetalLB's pools and peers take none.
    if (text.includes("%")) {
        return undefined;
    }
    // ipaddr.js also accepts shorthand forms such as "10.1" or "0xa.1"; MetalLB (Go's net.ParseIP)
    // only accepts dotted quads and RFC 4291 text, so insist on those.
    if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
        return ipaddr.IPv4.parse(text);
    }
    if (text.includes(":") && ipaddr.IPv6.isValid(text)) {
        return ipaddr.IPv6.parse(text);
    }
    return undefined;
}

/**
 * Parses one entry of an IPAddressPool's `addresses`, following MetalLB's `ParseCIDR`
 * (internal/config/config.go): an entry without "-" must be a CIDR (a bare IP is rejected), an entry
 * with "-" is an inclusive start-end range of one family whose start is not after its end.
 */
export function parseAddressEntry(entry: string): ParseResult {
    const text = entry.trim();
    if (text.includes("%")) {
        return { ok: false, error: `"${entry}" has an IPv6 zone index (%...); a pool takes addresses without one (${EXAMPLES})` };
    }
    if (text.includes("-")) {
        const parts = text.split("-");
        const [startText, endText] = parts.map((p) => p.trim());
        const start = parseIp(startText);
        const end = parseIp(endText);
        if (parts.length !== 2 || (!start && !end)) {
            return { ok: false, error: `"${entry}" is neither a CIDR nor a start-end range; use ${EXAMPLES}` };
        }
        if (!start || !end) {
            const bad = !start ? startText : endText;
            return { ok: false, error: `"${entry}": "${bad}" is not an IP address; use ${EXAMPLES}` };
        }
        if (familyOf(start) !== familyOf(end)) {
            return {
                ok: false,
                error: `"${entry}" mixes IPv4 and IPv6; a range must start and end in the same family (write two entries for dual-stack)`,
            };
        }
        const first = toBigInt(start);
        const last = toBigInt(end);
        if (first > last) {
            return { ok: false, error: `"${entry}" starts after it ends; write it as ${endText}-${startText}` };
        }
        return { ok: true, range: { text, family: familyOf(start), first, last } };
    }
    if (!text.includes("/")) {
        if (parseIp(text)) {
            const prefix = text.includes(":") ? 128 : 32;
            return {
                ok: false,
                error: `"${entry}" is a bare IP address; MetalLB needs a prefix length, e.g. ${text}/${prefix}`,
            };
        }
        return { ok: false, error: `"${entry}" is neither a CIDR nor a start-end range; use ${EXAMPLES}` };
    }
    const [ipText, prefixText] = text.split("/");
    const ip = parseIp(ipText);
    const maxPrefix = ip && familyOf(ip) === "ipv4" ? 32 : 128;
    if (!ip || !/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
        return { ok: false, error: `"${entry}" is not a valid CIDR; use ${EXAMPLES}` };
    }
    const bits = BigInt(maxPrefix);
    const prefix = BigInt(Number(prefixText));
    const hostBits = bits - prefix;
    const base = (toBigInt(ip) >> hostBits) << hostBits;
    if (base !== toBigInt(ip)) {
        // Go's net.ParseCIDR (which MetalLB uses) silently drops host bits: 10.30.3.5/28 becomes
        // 10.30.3.0/28, sixteen addresses instead of the one probably meant. Refuse and say which.
        const network = `${fromBigInt(base, familyOf(ip))}/${prefixText}`;
        const single = `${ipText}/${maxPrefix}`;
        return {
            ok: false,
            error: `"${entry}" has host bits set; the network is ${network} (write that), or ${single} for the single address`,
        };
    }
    return {
        ok: true,
        range: { text, family: familyOf(ip), first: base, last: base + (1n << hostBits) - 1n },
    };
}

/** True when two ranges share at least one address. */
export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
    return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Number of addresses in a range. */
export function rangeSize(r: AddressRange): bigint {
    return r.last - r.first + 1n;
}

/** True when the address (plain IP text) lies inside the range. */
export function rangeContains(r: AddressRange, ip: string): boolean {
    const addr = parseIp(ip.trim());
    if (!addr || familyOf(addr) !== r.family) {
        return false;
    }
    const n = toBigInt(addr);
    return n >= r.first && n <= r.last;
}

/** True when the text is a plain IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
    return parseIp(text.trim()) !== undefined;
}

/**
 * True for an IPv4 address ending in .0 or .255, which MetalLB never assigns from a pool with
 * `avoidBuggyIPs: true` (internal/allocator/allocator.go skips them for such pools).
 */
export function isBuggyIp(ip: string): boolean {
    const addr = parseIp(ip.trim());
    if (addr?.kind() !== "ipv4") {
        return false;
    }
    const last = addr.toByteArray()[3];
    return last === 0 || last === 255;
}

/** An IPv6 address in brackets, as URLs need it (`http://[fd00::10]`); IPv4 as it is. */
export function urlHost(ip: string): string {
    return ip.includes(":") ? `[${ip}]` : ip;
}

/** True when the text is an IPv6 address with a zone index (`fe80::1%eth0`), which MetalLB does not take. */
export function hasZoneIndex(text: string): boolean {
    const [addr, zone] = text.trim().split("%");
    return zone !== undefined && addr.includes(":") && ipaddr.IPv6.isValid(addr);
}

/**
 * Blocks no pool may hold (IANA special-purpose registries, RFC 6890): a pool that overlaps one makes
 * MetalLB hand out, and in L2 mode answer ARP/NDP for, addresses that belong to every host (the
 * gateway's, loopback, the cloud metadata service at 169.254.169.254).
 */
const SPECIAL_PURPOSE: readonly (readonly [string, string])[] = [
    ["0.0.0.0/8", "the unspecified block 0.0.0.0/8 ('this network')"],
    ["127.0.0.0/8", "loopback 127.0.0.0/8"],
    ["169.254.0.0/16", "link-local 169.254.0.0/16 (holds the cloud metadata address 169.254.169.254)"],
    ["224.0.0.0/4", "multicast 224.0.0.0/4"],
    ["255.255.255.255/32", "the broadcast address 255.255.255.255"],
    ["::/128", "the unspecified address ::"],
    ["::1/128", "loopback ::1"],
    ["fe80::/10", "link-local fe80::/10"],
    ["ff00::/8", "multicast ff00::/8"],
];
const SPECIAL_RANGES = SPECIAL_PURPOSE.map(([cidr, what]) => {
    const r = parseAddressEntry(cidr);
    if (!r.ok) {
        throw new Error(`bad special-purpose block ${cidr}`);
    }
    return { range: r.range, what };
});

/** Why a parsed pool entry is refused for holding special-purpose addresses (the first block it overlaps), or undefined. */
export function specialPurposeProblem(r: AddressRange): string | undefined {
    const hits = SPECIAL_RANGES.filter((s) => rangesOverlap(s.range, r)).map((s) => s.what);
    return hits.length > 0
        ? `"${r.text}" includes ${hits.join(" and ")}; a pool must hold only addresses MetalLB may give to Services (a block of your LAN, or one routed to the cluster)`
        : undefined;
}

/** Default limit on a pool entry's size, as the shortest prefix allowed: /16 for IPv4, /56 for IPv6. */
export const DEFAULT_POOL_PREFIX_LIMIT = { ipv4: 16, ipv6: 56 } as const;

/** Why an entry is larger than a /`limit` of its family (a range counts by its number of addresses), or undefined. */
export function oversizeProblem(r: AddressRange, limits: { readonly ipv4: number; readonly ipv6: number }, raise: string): string | undefined {
    const limit = r.family === "ipv4" ? limits.ipv4 : limits.ipv6;
    const max = 1n << BigInt((r.family === "ipv4" ? 32 : 128) - limit);
    return rangeSize(r) > max
        ? `"${r.text}" holds ${rangeSize(r)} addresses, more than a /${limit} (${max}); a pool this broad is usually a typo (it would announce addresses other hosts use). Split it, or ${raise}`
        : undefined;
}
