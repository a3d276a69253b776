/**
 * Paths in the form posix.normalize leaves them: such a path needs no normalize (thousands of
 * generated paths a run reads, writes and builds are all of this form).
 */

/** What posix.normalize would change: `.` or `..` segments, doubled or trailing slashes. */
export const UNNORMAL = /(^|\/)\.{1,2}(\/|$)|\/\/|\/$/;

/** A relative path posix.normalize leaves as it is ('.' included). */
export const plainPath = (p: string) => p === '.' || (p !== '' && !p.startsWith('/') && !UNNORMAL.test(p));
