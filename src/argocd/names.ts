/** Argo CD's SanitizeName (`nameNormalized`, `normalize`): lower case, invalid characters to "-", at most 253, trimmed of "-" and ".". */
export function normalizeName(name: string): string {
  const s = name.toLowerCase().replace(/[^-a-z0-9.]/gu, '-');
  return Buffer.from(s)
    .subarray(0, 253)
    .toString('utf8')
    .replace(/^[-.]+|[-.]+$/g, '');
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const isDnsSubdomain = (name: string): boolean => name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
