import * as ipaddr from "ipaddr.js";

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
    if (!addr || addr.kind() !== "ipv4") {
        return false;
    }
    const last = addr.toByteArray()[3];
    return last === 0 || last === 255;
}

/** An IPv6 address in brackets, as URLs need it (`http://[fd00::10]`); IPv4 as it is. */
export function urlHost(ip: string): string {
    return ip.includes(":") ? `[${ip}]` : ip;
}
