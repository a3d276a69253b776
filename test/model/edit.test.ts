import { describe, expect, it } from 'vitest';
import { ModelEdit } from '../../src/model/edit.js';

describe('ModelEdit', () => {
  it('changes only what it is told, keeping comments and flow lists', () => {
    const text = '# my fleet\ncalisti:\n  version: 1.10.0 # pinned\nlist: [a, b]\n';
    const out = new ModelEdit(text).set(['calisti', 'version'], '1.11.0').append(['istio', 'revisions'], 'cp-v113x').text();
    expect(out).toBe('# my fleet\ncalisti:\n  version: 1.11.0 # pinned\nlist: [a, b]\nistio:\n  revisions: [cp-v113x]\n');
    expect(new ModelEdit(out).delete(['istio', 'revisions']).text()).toBe(text.replace('1.10.0', '1.11.0'));
  });
});
