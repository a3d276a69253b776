/**
 * Edits to calisti.yaml that keep the user's comments, order and formatting: the model is the
 * user's file, and tools that change it (upgrade, istio migrate/prune) touch only what they must.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { parseFleet } from './load.js';
import type { Fleet } from './schema.js';

export class ModelEdit {
  private parsed: Document.Parsed | undefined;
  /** Whether any edit was made: an untouched model is its original text, byte for byte. */
  private edited = false;

  constructor(readonly original: string) {}

  /** Parsed on first use: a 10,000-cluster model takes a second to parse with positions. */
  private get doc(): Document.Parsed {
    this.parsed ??= parseDocument(this.original, { keepSourceTokens: false });
    return this.parsed;
  }

  set(path: (string | number)[], value: unknown): this {
    this.edited = true;
    this.doc.setIn(path, value);
    return this;
  }

  delete(path: (string | number)[]): this {
    this.edited = true;
    if (this.doc.hasIn(path)) this.doc.deleteIn(path);
    // Drop a map or list the deletion emptied, so no `demoApp: {}` is left behind.
    for (let p = path.slice(0, -1); p.length > 0; p = p.slice(0, -1)) {
      const node = this.doc.getIn(p, true);
      if ((isMap(node) || isSeq(node)) && node.items.length === 0) this.doc.deleteIn(p);
      else break;
    }
    return this;
  }

  /** Appends to a list, creating it in flow style (`[a, b]`) when missing. */
  append(path: (string | number)[], value: unknown): this {
    this.edited = true;
    const node = this.doc.getIn(path, true);
    if (isSeq(node)) node.add(this.doc.createNode(value));
    else {
      const seq = this.doc.createNode([value]);
      (seq as { flow?: boolean }).flow = true;
      this.doc.setIn(path, seq);
    }
    return this;
  }

  get(path: (string | number)[]): unknown {
    return this.doc.getIn(path);
  }

  text(): string {
    if (!this.edited) return this.original;
    return this.doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  }

  /** The edited model, validated: an edit that breaks the model is a bug here, not a user error. */
  fleet(): Fleet {
    return parseFleet(this.text());
  }
}
