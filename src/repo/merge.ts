/**
 * Three-way merge of a generated file the user edited, per resource and per field, as `kpt pkg
 * update` does: base is what generate wrote last time, ours is the file as edited, theirs is the
 * new render. A field changed only by the user keeps the user's value; a field changed only by the
 * model takes the model's; a field changed by both, differently, is a conflict. The user's
 * comments and layout survive: changes are applied to the edited document itself.
 */
import { isMap, isSeq, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { isObj, type Obj } from '../objects.js';

export interface MergeConflict {
  resource: string;
  path: string;
}

export interface MergeResult {
  text: string;
  conflicts: MergeConflict[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const keyOf = (o: unknown, i: number) =>
  isObj(o) && o.kind ? `${o.kind}/${(o.metadata as Obj | undefined)?.namespace ?? ''}/${(o.metadata as Obj | undefined)?.name ?? ''}` : `#${i}`;
const showPath = (p: (string | number)[]) =>
  p
    .map((k) => (typeof k === 'number' || k.startsWith('[') ? `${typeof k === 'number' ? `[${k}]` : k}` : `.${k}`))
    .join('')
    .replace(/^\./, '');

/** The `name` of every element, when all are objects with distinct names: a list keyed by name. */
function names(list: unknown[]): string[] | undefined {
  const out = list.map((x) => (isObj(x) && typeof x.name === 'string' ? x.name : undefined));
  return out.every((n): n is string => n !== undefined) && new Set(out).size === out.length ? out : undefined;
}

const distinctScalars = (list: unknown[]) => list.every((x) => x === null || typeof x !== 'object') && new Set(list).size === list.length;

/**
 * Lists merge element by element: by `name` when every element has a distinct one (containers,
 * ports, env), as sets when they hold distinct scalars, else by position when no side changed the
 * length; otherwise a list changed on both sides is one conflict.
 */
function mergeList(
  base: unknown[],
  ours: unknown[],
  theirs: unknown[],
  path: (string | number)[],
  out: MergeConflict[],
  resource: string,
): unknown[] | undefined {
  const [nb, no, nt] = [names(base), names(ours), names(theirs)];
  if (nb && no && nt) {
    const byName = (l: unknown[], n: string) => l[l.findIndex((x) => (x as Obj).name === n)];
    const order = [...no, ...nt.filter((n) => !no.includes(n) && !nb.includes(n))];
    const merged: unknown[] = [];
    for (const n of order) {
      const b = byName(base, n);
      const o = byName(ours, n);
      const t = byName(theirs, n);
      if (o !== undefined && t === undefined && b !== undefined) {
        // The model removed it: gone too, unless edited by hand.
        if (!same(o, b)) {
          out.push({ resource, path: `${showPath(path)}[name=${n}] (removed by the model, edited by hand)` });
          merged.push(o);
        }
        continue;
      }
      merged.push(o === undefined ? t : t === undefined ? o : merge3(b, o, t, [...path, `[name=${n}]`], out, resource));
    }
    return merged;
  }
  if ([base, ours, theirs].every(distinctScalars)) {
    // Lists of distinct scalars (sync options, finalizers, hosts) merge as sets: each side's additions and removals.
    const removed = base.filter((x) => !theirs.includes(x));
    return [...ours.filter((x) => !removed.includes(x)), ...theirs.filter((x) => !base.includes(x) && !ours.includes(x))];
  }
  if (base.length === ours.length && base.length === theirs.length) return base.map((b, i) => merge3(b, ours[i], theirs[i], [...path, i], out, resource));
  return undefined;
}

/** Field-level merge of one value; records conflicts and returns the merged value. */
function merge3(base: unknown, ours: unknown, theirs: unknown, path: (string | number)[], out: MergeConflict[], resource: string): unknown {
  if (same(ours, base)) return theirs;
  if (same(theirs, base) || same(ours, theirs)) return ours;
  if (Array.isArray(base) && Array.isArray(ours) && Array.isArray(theirs)) {
    const merged = mergeList(base, ours, theirs, path, out, resource);
    if (merged) return merged;
  }
  if (isObj(ours) && isObj(theirs)) {
    const b = isObj(base) ? base : {};
    const merged: Obj = {};
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(b)])) {
      const v = merge3(b[k], ours[k], theirs[k], [...path, k], out, resource);
      if (v !== undefined) merged[k] = v;
    }
    return merged;
  }
  out.push({ resource, path: showPath(path) || '(whole resource)' });
  return ours;
}

/** Applies `target` onto the document node by node, touching only what differs from `current`. */
function applyInto(doc: Document, current: unknown, target: unknown, path: (string | number)[]): void {
  if (same(current, target)) return;
  const node = path.length ? doc.getIn(path, true) : doc.contents;
  if (Array.isArray(current) && Array.isArray(target) && distinctScalars(current) && distinctScalars(target) && isSeq(node)) {
    // Item by item, so the comments on the items that stay survive.
    for (let i = current.length - 1; i >= 0; i--) if (!target.includes(current[i])) node.delete(i);
    for (const x of target) if (!current.includes(x)) node.add(doc.createNode(x));
    return;
  }
  if (isObj(current) && isObj(target) && isMap(path.length ? doc.getIn(path, true) : doc.contents)) {
    for (const k of new Set([...Object.keys(current), ...Object.keys(target)])) {
      if (!(k in target)) doc.deleteIn([...path, k]);
      else applyInto(doc, current[k], target[k], [...path, k]);
    }
    return;
  }
  if (path.length === 0) doc.contents = doc.createNode(target) as never;
  else doc.setIn(path, target);
}

const isYaml = (path: string) => /\.ya?ml$/.test(path);

export function mergeFile(path: string, base: string, ours: string, theirs: string): MergeResult {
  if (!isYaml(path)) {
    // Prose and scripts merge as whole files.
    if (ours === base) return { text: theirs, conflicts: [] };
    if (theirs === base || theirs === ours) return { text: ours, conflicts: [] };
    return { text: ours, conflicts: [{ resource: '(file)', path: '(whole file)' }] };
  }
  const parse = (t: string) => parseAllDocuments(t).map((d) => ('errors' in d && d.errors.length ? undefined : d));
  const oursDocs = parse(ours);
  if (oursDocs.some((d) => d === undefined)) return { text: ours, conflicts: [{ resource: '(file)', path: 'the edited file is not valid YAML' }] };
  const baseObjs = parse(base).map((d) => d?.toJS());
  const theirsObjs = parse(theirs).map((d) => d?.toJS());
  const oursList = oursDocs as Document[];
  const conflicts: MergeConflict[] = [];
  const baseBy = new Map(baseObjs.map((o, i) => [keyOf(o, i), o]));
  const theirsBy = new Map(theirsObjs.map((o, i) => [keyOf(o, i), o]));
  const kept: Document[] = [];
  const seen = new Set<string>();
  oursList.forEach((doc, i) => {
    const o = doc.toJS();
    const key = keyOf(o, i);
    seen.add(key);
    const b = baseBy.get(key);
    const t = theirsBy.get(key);
    if (b === undefined) return void kept.push(doc); // added by the user
    if (t === undefined) {
      // The model dropped it: drop it too, unless the user changed it.
      if (!same(o, b)) {
        conflicts.push({ resource: key, path: '(removed by the model, edited by hand)' });
        kept.push(doc);
      }
      return;
    }
    const merged = merge3(b, o, t, [], conflicts, key);
    applyInto(doc, o, merged, []);
    kept.push(doc);
  });
  // Resources the model added since last time.
  theirsObjs.forEach((t, i) => {
    const key = keyOf(t, i);
    if (!seen.has(key) && !baseBy.has(key)) kept.push(parseDocument(parseAllDocuments(theirs)[i]!.toString()));
  });
  const text = kept.map((d, i) => (i === 0 ? d.toString({ lineWidth: 0 }) : `---\n${d.toString({ lineWidth: 0 }).replace(/^---\n/, '')}`)).join('');
  return { text, conflicts };
}

/** The fields a hand edit changed (base -> ours), per resource: what --force would discard. */
export function handEdits(path: string, base: string, ours: string): MergeConflict[] {
  if (!isYaml(path)) return base === ours ? [] : [{ resource: '(file)', path: '(whole file)' }];
  const parse = (t: string) => parseAllDocuments(t).map((d) => ('errors' in d && d.errors.length ? null : d.toJS()));
  const baseObjs = parse(base);
  const oursObjs = parse(ours);
  if (oursObjs.some((o) => o === null)) return [{ resource: '(file)', path: 'the edited file is not valid YAML' }];
  const baseBy = new Map(baseObjs.map((o, i) => [keyOf(o, i), o]));
  const out: MergeConflict[] = [];
  const walk = (b: unknown, o: unknown, p: (string | number)[], resource: string) => {
    if (same(b, o)) return;
    if (isObj(b) && isObj(o)) {
      for (const k of new Set([...Object.keys(b), ...Object.keys(o)])) walk(b[k], o[k], [...p, k], resource);
      return;
    }
    out.push({ resource, path: showPath(p) || '(whole resource)' });
  };
  oursObjs.forEach((o, i) => {
    const key = keyOf(o, i);
    if (!baseBy.has(key)) out.push({ resource: key, path: '(added by hand)' });
    else walk(baseBy.get(key), o, [], key);
  });
  for (const key of baseBy.keys()) if (!oursObjs.some((o, i) => keyOf(o, i) === key)) out.push({ resource: key, path: '(deleted by hand)' });
  return out;
}
