/** Objects from API servers are read through schemas: what does not fit is a named error, never a crash. */
import { describe, expect, it } from 'vitest';
import { ApplicationList, readObject, RegistrySecret } from '../../src/cluster/objects.js';

describe('objects from the API server', () => {
  it('reads the fields the cluster steps use and keeps the rest', () => {
    const list = readObject(
      ApplicationList,
      { kind: 'ApplicationList', items: [{ metadata: { name: 'a', uid: 'u' }, status: { sync: { status: 'Synced' } } }] },
      'Application list',
    );
    expect(list.items[0]!.metadata.name).toBe('a');
    expect(list.items[0]!.status?.sync?.status).toBe('Synced');
    expect(readObject(ApplicationList, {}, 'Application list').items).toEqual([]);
  });
  it('names the object and the field that does not fit', () => {
    expect(() => readObject(ApplicationList, { items: [{ metadata: {} }] }, 'Application list')).toThrow(
      /^Application list: unexpected object from the API server \(items\.0\.metadata\.name: /,
    );
    expect(() => readObject(RegistrySecret, { data: { token: 1 } }, 'Secret cluster-registry/c1')).toThrow(/data\.token/);
  });
});
