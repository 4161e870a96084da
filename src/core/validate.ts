// Istio's own value grammars (hostnames, DNS labels, ports, label maps), as pure predicates.
// The analysis engine applies them to manifests and constructs apply them to literals; both call these,
// so each grammar is written once. Each returns undefined when the value is fine, else what is wrong.

const DNS1123_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Istio's DNS-1123 label check (upper case accepted, <= 63 chars). @internal */
export function checkDns1123Label(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty DNS-1123 label';
  if (value.length > 63) return 'must be at most 63 characters';
  if (!DNS1123_LABEL.test(value)) return 'must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** `ValidateFQDN`-style check of one dot-separated name, without wildcards. @internal */
export function checkFqdn(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a hostname must not be empty';
  if (value.length > 255) return 'a hostname must be at most 255 characters';
  let name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0) return 'a hostname must not be only a dot';
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length === 0) return 'a hostname must not contain empty labels ("..")';
    const err = checkDns1123Label(label);
    if (err) return `label "${label}" ${err}`;
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return 'the last label of a hostname must not be all digits (IP addresses are not hostnames)';
  return undefined;
}

/** `ValidateWildcardDomain`: only the first label may hold `*`, as `*`, `*xyz` or `*-xyz`. @internal */
export function checkWildcardDomain(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a hostname must not be empty';
  if (value.length > 255) return 'a hostname must be at most 255 characters';
  if (value === '*') return undefined;
  const dot = value.indexOf('.');
  const first = dot < 0 ? value : value.slice(0, dot);
  const rest = dot < 0 ? '' : value.slice(dot + 1);
  if (first.startsWith('*')) {
    const tail = first.slice(1);
    if (tail && tail !== '-' && checkDns1123Label(tail.startsWith('-') ? tail.slice(1) : tail)) {
      return `wildcard label "${first}" must be "*", "*xyz" or "*-xyz"`;
    }
    return rest ? checkFqdn(rest) : undefined;
  }
  if (value.includes('*')) return 'only the first label of a hostname may contain a wildcard "*"';
  return checkFqdn(value);
}

/** True for a host with `*` that is neither `*` nor `*.`-prefixed (e.g. `*foo.com`). @internal */
export function isPartialWildcard(host: string): boolean {
  return host.includes('*') && host !== '*' && !host.startsWith('*.');
}

/** IPv4 address. */
function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every(p => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** IPv6 address (RFC 4291 text forms, with optional embedded IPv4). */
function isIPv6(value: string): boolean {
  if (!value.includes(':') || /[^0-9a-fA-F:.]/.test(value)) return false;
  let v = value;
  let groupsForV4 = 0;
  const lastColon = v.lastIndexOf(':');
  const tail = v.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    v = v.slice(0, lastColon + 1) + '0:0';
    groupsForV4 = 0;
  }
  const dbl = v.split('::');
  if (dbl.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(dbl[0]);
  const rest = dbl.length === 2 ? groups(dbl[1]) : [];
  const all = [...head, ...rest];
  if (!all.every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = all.length + groupsForV4;
  return dbl.length === 2 ? count < 8 : count === 8;
}

/** An IP address of either family. @internal */
export function isIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

/** An IP address or CIDR prefix, as `netip` parses them. @internal */
export function checkIpOrCidr(value: string): string | undefined {
  if (typeof value !== 'string') return 'must be an IP address or CIDR';
  const slash = value.indexOf('/');
  if (slash < 0) return isIP(value) ? undefined : 'must be an IP address or CIDR prefix';
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const max = isIPv4(ip) ? 32 : isIPv6(ip) ? 128 : -1;
  if (max < 0 || !/^(0|[1-9][0-9]*)$/.test(bits) || Number(bits) > max) return 'must be a valid CIDR prefix, e.g. 10.0.0.0/16';
  return undefined;
}

/**
 * A `[namespace/]host` entry of a Gateway server (`gateway`) or a Sidecar egress listener (`sidecar`).
 * Namespace part: `*`, `.`, a DNS label, and for Sidecar also `~` and `~<label>` (an exclusion); Sidecar requires it. Host part: `*` or a
 * name with a dot (short names resolve nowhere from a proxy), an optional `*.` wildcard; partial wildcards
 * are rejected. Only Gateway takes IP literals, and only those with a dot: the short-name test runs first,
 * so istiod rejects IPv6 there too.
 * @internal
 */
export function checkNamespacedHost(value: string, flavor: 'gateway' | 'sidecar'): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a host must not be empty';
  const slash = value.indexOf('/');
  if (slash < 0 && flavor === 'sidecar') return 'a host must have the form namespace/host';
  const ns = slash >= 0 ? value.slice(0, slash) : undefined;
  const host = slash >= 0 ? value.slice(slash + 1) : value;
  if (ns !== undefined) {
    if (ns.length === 0 || host.length === 0) return 'neither the namespace nor the host part may be empty';
    // Sidecar also takes `~` (no namespace) and, since Istio 1.31, `~<namespace>`: hosts excluded from the import.
    const label = flavor === 'sidecar' && ns.startsWith('~') && ns.length > 1 ? ns.slice(1) : ns;
    if (ns !== '*' && ns !== '.' && !(flavor === 'sidecar' && ns === '~')) {
      const err = checkDns1123Label(label);
      if (err) return `the namespace part "${ns}" ${err}`;
    }
  }
  if (host === '*') return undefined;
  if (!host.includes('.')) return `short name "${host}" is not allowed: the host part must be "*" or contain a dot`;
  if (isPartialWildcard(host)) return `partial wildcard "${host}" is not allowed: a wildcard must be "*" or a "*." prefix`;
  if (flavor === 'gateway' && isIP(host)) return undefined;
  return checkWildcardDomain(host);
}

/** A unix socket address after `unix://`: an `@abstract` name or an absolute path that is not a directory. @internal */
export function checkUnixAddress(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a unix address must not be empty';
  if (value.startsWith('@')) return undefined;
  if (!value.startsWith('/') || value.endsWith('/')) return 'a unix address must be an absolute path to a file or an @abstract name';
  return undefined;
}

/** A port number 1..65535. @internal */
export function checkPort(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) return 'a port must be an integer from 1 to 65535';
  return undefined;
}

/** A label key: optional DNS-subdomain prefix + `/` + name (<= 63, alphanumeric ends, `-_.` inside). @internal */
export function checkLabelKey(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'a label key must not be empty';
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0 || prefix.length > 253 || prefix.split('.').some(l => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l))) {
      return `label key prefix "${prefix}" must be a DNS subdomain`;
    }
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return 'a label name must be at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside';
  }
  return undefined;
}

/** A label value: empty, or <= 63 chars with the label-name charset. @internal */
export function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (typeof value !== 'string' || value.length > 63 || !LABEL_NAME.test(value)) {
    return 'a label value must be empty or at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside';
  }
  return undefined;
}

/** Check every entry of a label map; returns `[key, problem]` of the first bad entry. @internal */
export function checkLabels(labels: Record<string, string>): [string, string] | undefined {
  for (const [k, v] of Object.entries(labels)) {
    const ke = checkLabelKey(k);
    if (ke) return [k, ke];
    if (k.includes('*')) return [k, 'a label key must not contain "*"'];
    const ve = checkLabelValue(v);
    if (ve) return [k, ve];
    if (v.includes('*')) return [k, 'a label value must not contain "*"'];
  }
  return undefined;
}
