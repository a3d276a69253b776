/**
 * Builds what each Application deploys with the real kustomize, as Argo CD would: the Application's
 * own kustomize options are applied through a wrapper kustomization. Builds with the same inputs run
 * once, run in parallel (one per core), and are cached on disk by content hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadOutput } from '../fast-yaml.js';
import { BuildAborted, kustomizeBuild, type KustomizeTool } from '../kustomize/build.js';
import { scratchFolder, type ScratchFolder } from '../exit-cleanup.js';
import { deepFreeze, isObj, type Obj, pushTo } from '../objects.js';
import { leaksIn } from '../secrets/detect.js';
import { type KnownFiles, TreeReader } from './inputs.js';
import type { KubeObject } from './objects.js';
import { overlayShape, substitute, templateFiles, type ShapeMember } from './shapes.js';

export interface BuildRequest {
  /** Repo-relative path of the kustomization. */
  path: string;
  /** spec.source.kustomize of the Application. */
  options?: Obj;
}

export interface BuildOutput {
  ok: boolean;
  /** Rendered objects, each with the repo-relative file it came from (origin annotation). */
  objects: { obj: KubeObject; file?: string }[];
  stderr: string;
  cached: boolean;
  /** Options of spec.source.kustomize that cannot be applied offline. */
  ignoredOptions: string[];
}

const ORIGIN = 'config.kubernetes.io/origin';
const SUPPORTED_OPTIONS = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'components',
  'version',
];

/** The wrapper kustomization: the Application's options around the source, plus origin annotations. */
function wrapper(sourceRel: string, options: Obj = {}): Record<string, unknown> {
  const k: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [sourceRel],
    buildMetadata: ['originAnnotations'],
  };
  if (options.namePrefix) k.namePrefix = options.namePrefix;
  if (options.nameSuffix) k.nameSuffix = options.nameSuffix;
  if (options.namespace) k.namespace = options.namespace;
  // Argo CD's commonLabels also select; `labels` with includeSelectors is the non-deprecated spelling.
  if (options.commonLabels) k.labels = [{ pairs: options.commonLabels, includeSelectors: true }];
  if (options.commonAnnotations) k.commonAnnotations = options.commonAnnotations;
  if (options.images) k.images = (options.images as string[]).map(parseImage);
  if (options.replicas) k.replicas = options.replicas;
  if (options.patches) k.patches = options.patches;
  if (options.components) k.components = (options.components as string[]).map((c) => join(sourceRel, c));
  return k;
}

/** Argo CD's image override forms: `name=newName:tag`, `name:tag`, `name@digest`. */
function parseImage(spec: string): Record<string, string> {
  const [name, target = spec] = spec.includes('=') ? (spec.split('=', 2) as [string, string]) : [undefined, spec];
  const digest = target.split('@');
  const out: Record<string, string> = {};
  let ref = digest[0]!;
  if (digest[1]) out.digest = digest[1];
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) {
    out.newTag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  if (name) {
    out.name = name;
    out.newName = ref;
  } else out.name = ref;
  return out;
}

interface CacheEntry {
  ok: boolean;
  stderr: string;
  /** Objects with their origin file relative to the built folder. */
  objects: { obj: KubeObject; origin?: string }[];
}

export class Builder {
  private readonly inflight = new Map<string, Promise<CacheEntry & { cached: boolean }>>();
  private readonly toolId: string;
  private readonly tmpRoot: string;
  private readonly queue: (() => void)[] = [];
  private running = 0;
  readonly limit: number;
  builds = 0;
  /** Requests served by a shared shape build. */
  sharedBuilds = 0;
  /** Builds that failed for this machine's reasons (see BuildResult.machine): the run's report is not remembered. */
  machineFailures = 0;

  private readonly shareShapes: boolean;
  /** Stops the builds not yet finished: they reject with BuildAborted and nothing of them is cached. */
  private readonly signal: AbortSignal | undefined;
  private readonly keys = new Map<string, { contentKey: string | undefined; key: string }>();

  constructor(
    private readonly root: string,
    private readonly tool: KustomizeTool,
    private readonly cacheDir: string | undefined,
    opts: { parallel?: number; shareShapes?: boolean; known?: KnownFiles; signal?: AbortSignal } = {},
  ) {
    this.signal = opts.signal;
    this.reader = new TreeReader(root, opts.known);
    this.limit = Math.max(1, opts.parallel ?? availableParallelism());
    this.shareShapes = opts.shareShapes ?? true;
    let id = tool.command;
    try {
      const st = statSync(tool.command);
      id += `:${st.size}:${st.mtimeMs}`;
    } catch {
      // keep the path only
    }
    this.toolId = id;
    this.scratch = scratchFolder('calisti-validate-');
    this.tmpRoot = this.scratch.path;
  }

  private readonly scratch: ScratchFolder;

  dispose(): void {
    this.scratch.remove();
  }

  /** The cache keys of every build this run asked for, cached or not. */
  usedKeys(): string[] {
    return [...this.keys.values()].flatMap((k) => k.contentKey ?? []);
  }

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      // Stopped while waiting: write nothing (the temp folder may be gone already).
      if (this.signal?.aborted) throw new BuildAborted(this.tmpRoot);
      return await fn();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private keyOf(req: BuildRequest): { contentKey: string | undefined; key: string } {
    const optionsText = JSON.stringify(req.options ?? {});
    const memo = `${req.path}\0${optionsText}`;
    let k = this.keys.get(memo);
    if (!k) {
      const contentKey = this.reader.buildKey(req.path, `${this.toolId}\0${optionsText}`);
      // Without a content key (remote bases, plugins) a build is neither shared nor cached.
      k = { contentKey, key: contentKey ?? `uncached:${memo}` };
      this.keys.set(memo, k);
    }
    return k;
  }

  /** What this run read of the tree, shared by keys, shapes and hazards. */
  readonly reader: TreeReader;

  /**
   * Starts the builds of many requests at once, so overlays of one shape share a build. Later
   * `build` calls for these requests find their result in flight or done.
   */
  async prefetch(requests: BuildRequest[]): Promise<void> {
    if (!this.shareShapes) return;
    const pending = new Map<string, { req: BuildRequest; contentKey: string }>();
    for (const req of requests) {
      const { contentKey, key } = this.keyOf(req);
      if (!contentKey || this.inflight.has(key) || pending.has(key)) continue;
      if (this.cacheDir && existsSync(join(this.cacheDir, `${contentKey}.json`))) continue;
      pending.set(key, { req, contentKey });
    }
    const groups = new Map<string, { member: ShapeMember; req: BuildRequest; contentKey: string }[]>();
    for (const { req, contentKey } of pending.values()) {
      const member = overlayShape(this.reader, req.path, `${this.toolId}\0${JSON.stringify(req.options ?? {})}`);
      if (!member) continue;
      pushTo(groups, member.shapeKey, { member, req, contentKey });
    }
    const work: Promise<unknown>[] = [];
    for (const group of groups.values()) {
      // A shared build costs a template build and a check build: worth it from three members on.
      if (group.length < 3) continue;
      const shared = this.buildShape(group);
      for (const m of group) {
        const run = shared.then((results) => results?.get(m.contentKey) ?? this.run(m.req, m.contentKey));
        this.inflight.set(m.contentKey, run);
        work.push(run);
      }
    }
    await Promise.all(work);
  }

  /** One build for a whole shape group; undefined when the check build disagrees. */
  private async buildShape(
    group: { member: ShapeMember; req: BuildRequest; contentKey: string }[],
  ): Promise<Map<string, CacheEntry & { cached: boolean }> | undefined> {
    const first = group[0]!;
    const count = first.member.values.length;
    const varying = new Set<number>();
    for (let i = 0; i < count; i++) if (group.some((g) => g.member.values[i] !== first.member.values[i])) varying.add(i);
    const everything = group.map((g) => g.member.values.join('\0')).join('\0');
    let salt = 0;
    while (everything.includes(`zcgshape${salt}t`)) salt++;
    const token = (i: number) => `zcgshape${salt}t${i}z`;
    const dir = join(this.tmpRoot, `shape-${createHash('sha256').update(first.member.shapeKey).digest('hex').slice(0, 16)}`);
    const overlayAbs = join(this.root, first.req.path);
    const files = templateFiles(first.member, varying, token, (p) => {
      const abs = resolve(overlayAbs, p);
      const rel = relative(overlayAbs, abs);
      return rel.startsWith('..') || isAbsolute(rel) ? relative(dir, abs) : p;
    });
    const template = await this.slot(async () => {
      this.builds++;
      for (const [rel, text] of files) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
      const wrapDir = `${dir}-wrap`;
      mkdirSync(wrapDir, { recursive: true });
      writeFileSync(join(wrapDir, 'kustomization.yaml'), stringify(wrapper(relative(wrapDir, dir), first.req.options)));
      const r = await kustomizeBuild(this.tool, wrapDir, [], this.signal);
      return r.ok && r.stderr === '' ? withOrigins(r.yaml, wrapDir, dir) : undefined;
    });
    if (!template) return undefined;
    const results = new Map<string, CacheEntry & { cached: boolean }>();
    const marker = `zcgshape${salt}t`;
    const tokens = new RegExp(`${marker}\\d+z`, 'g');
    for (const g of group) {
      const values = new Map([...varying].map((i) => [token(i), g.member.values[i]!]));
      const replace = (s: string) => s.replace(tokens, (t) => values.get(t) ?? t);
      const memberAbs = join(this.root, g.req.path);
      const objects = template.map(({ obj, origin }) => {
        const out: CacheEntry['objects'][number] = { obj: substitute(obj, replace, marker) as KubeObject };
        if (origin !== undefined) {
          const abs = resolve(dir, origin);
          const inTemplate = !relative(dir, abs).startsWith('..');
          out.origin = inTemplate ? relative(dir, abs) : relative(memberAbs, abs);
        }
        return out;
      });
      results.set(g.contentKey, { ok: true, stderr: '', objects, cached: false });
    }
    // The check: one member built for real must equal its substituted result.
    const check = await this.run(first.req, undefined);
    const mine = results.get(first.contentKey)!;
    if (!check.ok || JSON.stringify(check.objects) !== JSON.stringify(mine.objects)) return undefined;
    this.sharedBuilds += group.length;
    for (const [key, entry] of results) this.store(key, entry);
    return results;
  }

  async build(req: BuildRequest): Promise<BuildOutput> {
    const options = req.options ?? {};
    const ignoredOptions = Object.keys(options).filter((o) => !SUPPORTED_OPTIONS.includes(o));
    const { contentKey, key } = this.keyOf(req);
    let run = this.inflight.get(key);
    if (!run) {
      run = this.run(req, contentKey);
      this.inflight.set(key, run);
    }
    const entry = await run;
    return { ok: entry.ok, stderr: entry.stderr, cached: entry.cached, ignoredOptions, objects: this.located(entry, req.path) };
  }

  private async run(req: BuildRequest, contentKey: string | undefined): Promise<CacheEntry & { cached: boolean }> {
    const cacheFile = contentKey && this.cacheDir ? join(this.cacheDir, `${contentKey}.json`) : undefined;
    if (cacheFile && existsSync(cacheFile)) {
      try {
        return { ...(JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheEntry), cached: true };
      } catch {
        // a damaged cache entry is rebuilt
      }
    }
    const entry = await this.slot(async () => {
      this.builds++;
      const dir = join(
        this.tmpRoot,
        createHash('sha256')
          .update(`${req.path}\0${JSON.stringify(req.options ?? {})}`)
          .digest('hex')
          .slice(0, 16),
      );
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'kustomization.yaml'), stringify(wrapper(relative(dir, join(this.root, req.path)), req.options)));
      const r = await kustomizeBuild(this.tool, dir, [], this.signal);
      // Without kubectl's log timestamps, so a build's result depends on its inputs only.
      const stderr = r.stderr
        .split(dir)
        .join('<wrapper>')
        .replace(/^[EWI]\d{4} [\d:.]+\s+\d+ \S+\] /gm, '');
      return { ok: r.ok, stderr, objects: r.ok ? withOrigins(r.yaml, dir, join(this.root, req.path)) : [], machine: r.machine };
    });
    // A failure of this machine's (memory cap, time limit) says nothing lasting about the inputs.
    const { machine, ...result } = entry;
    if (machine) this.machineFailures++;
    else if (contentKey) this.store(contentKey, result);
    return { ...result, cached: false };
  }

  private store(contentKey: string, entry: CacheEntry): void {
    if (!this.cacheDir) return;
    // A build with a credential in clear is never written to disk (validate reports it anyway).
    if (entry.objects.some((o) => leaksIn(o.obj).length > 0)) return;
    const cacheFile = join(this.cacheDir, `${contentKey}.json`);
    mkdirSync(this.cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ ok: entry.ok, stderr: entry.stderr, objects: entry.objects }));
    try {
      // rename is atomic: concurrent runs never read half an entry
      renameSync(tmp, cacheFile);
    } catch {
      rmSync(tmp, { force: true });
    }
  }

  /**
   * Maps each object's origin (relative to the built folder) to a repo file for this requester. The
   * objects are shared by every requester of the entry, so they are frozen: a rule that tried to
   * change one would throw instead of changing what another cluster's view holds.
   */
  private located(entry: CacheEntry, path: string): BuildOutput['objects'] {
    if (!frozen.has(entry)) {
      for (const o of entry.objects) deepFreeze(o.obj);
      frozen.add(entry);
    }
    return entry.objects.map(({ obj, origin }) => {
      let file: string | undefined;
      if (origin !== undefined) {
        const rel = posix.normalize(posix.join(path, origin));
        if (rel !== '..' && !rel.startsWith('../') && !posix.isAbsolute(rel)) file = rel;
      }
      return { obj, file };
    });
  }
}

const frozen = new WeakSet<CacheEntry>();

/**
 * Parses a build and moves each origin annotation out of the object, rebased from the wrapper
 * folder to the source folder, so a shared or cached build maps back to every requester.
 */
function withOrigins(yaml: string, wrapperDir: string, sourceDir: string): CacheEntry['objects'] {
  return parseBuilt(yaml).map((obj) => {
    const metadata = obj.metadata;
    if (!isObj(metadata) || !isObj(metadata.annotations) || metadata.annotations[ORIGIN] === undefined) return { obj };
    const annotations = metadata.annotations;
    const origin = String(annotations[ORIGIN]);
    delete annotations[ORIGIN];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
    const m = /^path: (.*)$/m.exec(origin);
    if (!m || /^(https?|git|ssh):/.test(m[1]!)) return { obj };
    return { obj, origin: relative(sourceDir, resolve(wrapperDir, m[1]!.trim())) };
  });
}

/** kustomize's output needs no source positions: the fast reader (test/fast-yaml.test.ts keeps it `yaml`'s equal). */
function parseBuilt(yaml: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const v of loadOutput(yaml)) if (isObj(v)) out.push(v);
  return out;
}

/** A build's cache entry (CRD caches and reports are named otherwise). */
const ENTRY = /^[0-9a-f]{64}\.json$/;
/** The cache may hold this many times one whole run's builds (other branches, older trees) before pruning. */
const KEEP_FACTOR = 4;
const MIN_KEPT = 256;
/** Entries written this recently may belong to a run still going on (another branch, a worktree). */
const RECENT_MS = 10 * 60 * 1000;

/**
 * Keeps the build cache near one tree's size (a CI job that caches `.git/calisti-gitops` carries it
 * from run to run): after a run over the whole repo that used `used`, once there are more than four
 * times as many entries, those it did not use and not written in the last ten minutes are removed.
 * Returns how many. A removed entry only costs a build.
 */
export function pruneBuildCache(cacheDir: string, used: ReadonlySet<string>, now = Date.now()): number {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return 0;
  }
  const entries = names.filter((n) => ENTRY.test(n));
  if (entries.length <= Math.max(KEEP_FACTOR * used.size, MIN_KEPT)) return 0;
  let removed = 0;
  for (const n of entries) {
    if (used.has(n.slice(0, -'.json'.length))) continue;
    const p = join(cacheDir, n);
    try {
      if (now - statSync(p).mtimeMs < RECENT_MS) continue;
      rmSync(p, { force: true });
      removed++;
    } catch {
      // gone already, or not ours to remove: the next run tries again
    }
  }
  return removed;
}
