/**
 * What Kubernetes, Argo CD and Istio accept for the strings the model hands them. Each rule is the
 * consumer's own (cited), so a value the model accepts is never rejected later by a controller, and a
 * value that could change the meaning of the text it lands in (a Helm --set list, a label, a
 * Markdown table) never gets that far.
 */
import { z } from 'zod';

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS_LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`);
/** apimachinery validation.IsQualifiedName: the name part of a label or annotation key. */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** DNS-1123 label (Namespace and Service names, Istio network and mesh IDs). */
export const DnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters (RFC 1123 label)')
  .regex(DNS1123_LABEL, 'must be an RFC 1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit');

/** DNS-1123 subdomain (most object names: Secrets, AppProjects, Service hosts). */
export const DnsSubdomain = z
  .string()
  .max(253, 'must be at most 253 characters (RFC 1123 subdomain)')
  .regex(DNS1123_SUBDOMAIN, 'must be an RFC 1123 subdomain: lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit');

/** Label and annotation keys: `[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63 characters. */
export function qualifiedKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'key prefix must be an RFC 1123 subdomain of at most 253 characters (e.g. example.com/name)';
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'key name must be 1-63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** A label value: empty, or at most 63 characters of the qualified-name alphabet. */
export const LabelValue = z
  .string()
  .max(63, 'label values are at most 63 characters')
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, 'label values are letters, digits, "-", "_" and ".", starting and ending with a letter or digit');

/** A map of Kubernetes labels, each key checked where it is written. */
export const Labels = z.record(z.string(), LabelValue).superRefine((labels, ctx) => {
  for (const key of Object.keys(labels)) {
    const problem = qualifiedKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
  }
});

/**
 * Argo CD's sync retry durations (`parseStringToDuration` in the Application types): a whole number
 * of seconds, or a Go duration such as `5s`, `1m30s`, `1.5h`. Negative values are refused here.
 */
export const ArgoDuration = z
  .string()
  .regex(/^(\d+|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/, 'must be a number of seconds or a Go duration such as 5s, 3m0s or 1h');

/** A Kubernetes resource quantity (apimachinery resource.Quantity). */
export const Quantity = z.union([
  z.string().regex(/^[+]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/, 'must be a Kubernetes quantity such as 500m, 2 or 64Mi'),
  z.number().nonnegative(),
]);

/**
 * A git revision Argo CD passes to git: a branch, tag, commit or HEAD. The rules of
 * git-check-ref-format, so a newline or an option-like value never reaches git.
 */
export const GitRevision = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^-\s~^:?*[\\\x00-\x1f\x7f]+$/, 'must be a git branch, tag or commit: no whitespace, control characters or ~^:?*[\\, not starting with "-"')
  .refine(
    (r) => !r.includes('..') && !r.includes('@{') && !r.endsWith('.') && !r.endsWith('/') && !r.endsWith('.lock') && !r.includes('//'),
    'must be a valid git ref name (no "..", "@{", "//", or a trailing ".", "/" or ".lock")',
  );

const HOST = `(${DNS_LABEL}(\\.${DNS_LABEL})*|\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\])`;
const API_SERVER_URL = new RegExp(`^https://${HOST}(:(?<port>\\d{1,5}))?(/[A-Za-z0-9._~/-]*)?$`);
/**
 * A Kubernetes API server URL as other clusters reach it: https, a host (DNS name, IPv4 or [IPv6]),
 * an optional port and an optional path of plain characters (proxies such as Rancher add one).
 * It becomes a Helm parameter through Argo CD, which escapes `,` only when no `\` precedes it and
 * not at all inside `{...}` (util/helm/cmd.go cleanSetParameters): the pattern admits none of
 * `\`, `,`, `{`, `}` or whitespace, so the value can never end early and set other chart values.
 */
export const ApiServerUrl = z
  .string()
  .regex(API_SERVER_URL, 'must be an https:// URL: a host name or IP, an optional :port and an optional plain path; no "\\", ",", "{", "}" or spaces')
  .refine((url) => {
    const port = API_SERVER_URL.exec(url)?.groups?.port;
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  }, 'port must be 1-65535');

/** Istio Gateway / VirtualService hosts: `[namespace/]dnsName`, a leading `*.` wildcard or `*`. */
export const IstioHost = z
  .string()
  .regex(
    new RegExp(`^((${DNS_LABEL}|\\*|\\.)/)?(\\*|(\\*\\.)?${DNS_LABEL}(\\.${DNS_LABEL})*)$`),
    'must be a host such as example.com, *.example.com or *, optionally prefixed with namespace/',
  );

/** An HTTP path prefix: starts with "/", printable characters only. */
/** A folder inside a repository: relative, `/`-separated, no `.` or `..` segment. */
export const RepoFolder = z
  .string()
  .max(255)
  .regex(
    /^(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+)*$/,
    'must be a relative folder such as deploy/calisti: letters, digits, ".", "_", "-" and "/", no "." or ".." segment',
  );

export const PathPrefix = z.string().regex(/^\/[\x21-\x7e]*$/, 'must start with "/" and hold no whitespace or control characters');
