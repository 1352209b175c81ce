import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may go. A target is refused when any address its host resolves to is loopback, private, link-local,
 * a cloud metadata address, unspecified, multicast, CGNAT or otherwise not on the public internet: at registration
 * and again at every send (DNS may have changed since). The sender then connects to exactly the addresses that were
 * checked (no second lookup a rebinding DNS server could answer differently).
 */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address of a host (node:dns lookup, all: true); injectable so that tests can make DNS say anything. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Refused for good: the URL or its addresses are not allowed (422 at registration, a permanent failure when sending). */
export class WebhookTargetRefused extends Error {
  constructor(readonly reason: string) {
    super(`webhook_target_refused: ${reason}`);
    this.name = 'WebhookTargetRefused';
  }
}

/** The host does not resolve now (maybe later: retried when sending). */
export class WebhookTargetUnresolvable extends Error {
  constructor(readonly reason: string) {
    super(`webhook_target_unresolvable: ${reason}`);
    this.name = 'WebhookTargetUnresolvable';
  }
}

type Range = [string, number, 'ipv4' | 'ipv6', string];
/** Most specific first: the first range that holds an address names why it is refused. */
const REFUSED: Range[] = [
  ['169.254.169.254', 32, 'ipv4', 'metadata'],
  ['fd00:ec2::254', 128, 'ipv6', 'metadata'],
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['169.254.0.0', 16, 'ipv4', 'link_local'],
  ['100.64.0.0', 10, 'ipv4', 'cgnat'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'reserved'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['198.51.100.0', 24, 'ipv4', 'reserved'],
  ['203.0.113.0', 24, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private'],
  ['fe80::', 10, 'ipv6', 'link_local'],
  ['fec0::', 10, 'ipv6', 'private'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['64:ff9b::', 96, 'ipv6', 'reserved'],
  ['64:ff9b:1::', 48, 'ipv6', 'reserved'],
  ['100::', 64, 'ipv6', 'reserved'],
  ['2001:db8::', 32, 'ipv6', 'reserved'],
  ['2002::', 16, 'ipv6', 'reserved'],
  ['2001::', 32, 'ipv6', 'reserved'],
];
const LISTS = REFUSED.map(([network, prefix, type, reason]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, reason };
});

/** Why an address may not receive webhooks (loopback, private, link_local, metadata, …), or undefined for a public one. */
export function refusalOf(address: string): string | undefined {
  let ip = address.replace(/^\[|\]$/g, '').split('%')[0];
  const version = isIP(ip);
  if (version === 0) return 'not_an_address';
  if (version === 6) {
    // IPv4-mapped and IPv4-compatible IPv6 addresses reach the IPv4 address inside.
    const mapped = /^(?:0{0,4}:){0,5}(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return refusalOf(mapped[1]);
    const hexMapped = /^(?:0{0,4}:){0,5}ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
    if (hexMapped) {
      const [hi, lo] = [parseInt(hexMapped[1], 16), parseInt(hexMapped[2], 16)];
      return refusalOf(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    ip = ip.toLowerCase();
  }
  const type = version === 4 ? 'ipv4' : 'ipv6';
  return LISTS.find((l) => l.type === type && l.list.check(ip, type))?.reason;
}

export interface WebhookAddressPolicyOptions {
  /** http:// targets: only in tests or when explicitly allowed; https:// otherwise. */
  allowHttp: boolean;
  /** Exact addresses allowed although refused by the rules (a test's receiver on 127.0.0.1). Empty in production. */
  allowedAddresses?: readonly string[];
  resolver?: Resolver;
}

export interface VettedTarget {
  url: URL;
  /** The addresses checked: the sender connects to these only. */
  addresses: ResolvedAddress[];
}

export class WebhookAddressPolicy {
  private readonly resolver: Resolver;
  private readonly allowed: ReadonlySet<string>;

  constructor(readonly options: WebhookAddressPolicyOptions) {
    this.resolver = options.resolver ?? systemResolver;
    this.allowed = new Set(options.allowedAddresses ?? []);
  }

  /** Production: https only, public addresses only. */
  static production(resolver?: Resolver): WebhookAddressPolicy {
    return new WebhookAddressPolicy({ allowHttp: false, resolver });
  }

  /** By NODE_ENV: http is accepted in tests (local receivers); no address is ever let through by default. */
  static forEnvironment(nodeEnv: string, resolver?: Resolver): WebhookAddressPolicy {
    return new WebhookAddressPolicy({ allowHttp: nodeEnv === 'test', resolver });
  }

  /** Syntax only: a parseable absolute http(s) URL without credentials or fragment. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookTargetRefused('invalid_url');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.allowHttp)) throw new WebhookTargetRefused('https_required');
    if (url.username || url.password) throw new WebhookTargetRefused('credentials_in_url');
    if (url.hash) throw new WebhookTargetRefused('fragment_in_url');
    if (!url.hostname) throw new WebhookTargetRefused('invalid_url');
    return url;
  }

  /** Parses, resolves every address of the host and refuses the target when any of them is not allowed. */
  async vet(raw: string): Promise<VettedTarget> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: ResolvedAddress[];
    if (isIP(host)) {
      addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
    } else {
      if (host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost')) throw new WebhookTargetRefused('loopback');
      try {
        addresses = await this.resolver(host);
      } catch (error) {
        throw new WebhookTargetUnresolvable((error as NodeJS.ErrnoException).code ?? 'lookup_failed');
      }
      if (addresses.length === 0) throw new WebhookTargetUnresolvable('no_address');
    }
    for (const { address } of addresses) {
      if (this.allowed.has(address)) continue;
      const refusal = refusalOf(address);
      if (refusal) throw new WebhookTargetRefused(refusal);
    }
    return { url, addresses };
  }
}
