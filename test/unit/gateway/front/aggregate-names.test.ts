import { describe, expect, it } from 'vitest';
import { mergeByName, mergeByUri, prefixedName, routeName, routeUri } from '../../../../src-gateway/front/aggregate-names.js';

const tool = (name: string) => ({ name, description: `tool ${name}` });

describe('aggregate names', () => {
  it('prefixes each entry with its server and remembers the owner under the prefixed name', () => {
    const merged = mergeByName([{ server: 'probe', items: [tool('echo')] }, { server: 'demo', items: [tool('echo'), tool('run_sql')] }]);
    expect(merged.items.map((item) => item.name)).toEqual(['probe__echo', 'demo__echo', 'demo__run_sql']);
    expect(merged.items[0].description).toBe('tool echo');
    expect(merged.owners.get('demo__run_sql')).toEqual({ server: 'demo', name: 'run_sql' });
    expect(merged.collisions.size).toBe(0);
  });

  it('leaves out a prefixed name two servers produce, naming both', () => {
    const merged = mergeByName([{ server: 'a', items: [tool('b__c'), tool('solo')] }, { server: 'a__b', items: [tool('c')] }]);
    expect(merged.items.map((item) => item.name)).toEqual(['a__solo']);
    expect(merged.collisions.get('a__b__c')).toEqual(['a', 'a__b']);
  });

  it('keeps one entry when a server lists the same name twice', () => {
    const merged = mergeByName([{ server: 'x', items: [tool('t'), tool('t')] }]);
    expect(merged.items.map((item) => item.name)).toEqual(['x__t']);
    expect(merged.collisions.size).toBe(0);
  });

  it('keys resources by URI: the same URI from two servers collides, whatever its name', () => {
    const merged = mergeByUri([
      { server: 'one', items: [{ name: 'Ada', uri: 'customer://1' }, { name: 'Bo', uri: 'file:///one' }] },
      { server: 'two', items: [{ name: 'Ada Lovelace', uri: 'customer://1' }] },
    ]);
    expect(merged.items).toEqual([{ name: 'one__Bo', uri: 'file:///one' }]);
    expect(merged.collisions.get('customer://1')).toEqual(['one', 'two']);
  });

  it.each([
    ['the listed owner', 'a__b__c', ['a', 'a__b'], { ok: true, server: 'a__b', name: 'c' }, [{ server: 'a__b', items: [tool('c')] }]],
    ['the one server whose name prefixes it, unlisted', 'probe__echo', ['probe', 'demo'], { ok: true, server: 'probe', name: 'echo' }, undefined],
    ['a name with the separator inside', 'probe__x__y', ['probe'], { ok: true, server: 'probe', name: 'x__y' }, undefined],
  ] as const)('routes a name to %s', (_what, name, servers, expected, pages) => {
    expect(routeName(name, servers, pages && mergeByName(pages))).toEqual(expected);
  });

  it.each([
    ['a listed collision', 'a__b__c', ['a', 'a__b'], [{ server: 'a', items: [tool('b__c')] }, { server: 'a__b', items: [tool('c')] }], /more than one server \("a", "a__b"\)/],
    ['two servers whose names both prefix it', 'a__b__c', ['a', 'a__b'], undefined, /more than one server \("a", "a__b"\)/],
    ['an unknown prefix', 'nosuch__echo', ['probe', 'demo'], undefined, /connected servers are "probe", "demo"/],
    ['a bare server name', 'probe__', ['probe'], undefined, /Unknown name/],
    ['no prefix at all', 'echo', [], undefined, /connected servers are none/],
    ['a listed name whose server is gone, rather than give it to another', 'a__b__c', ['a'], [{ server: 'a__b', items: [tool('c')] }], /"a__b" that offered "a__b__c" is no longer connected/],
  ] as const)('refuses %s', (_what, name, servers, pages, message) => {
    const route = routeName(name, servers, pages && mergeByName(pages));
    expect(route.ok).toBe(false);
    expect(!route.ok && route.message).toMatch(message);
  });

  it('routes a listed URI to its server, an unlisted one by the single matching template', () => {
    const listed = mergeByUri([{ server: 'demo', items: [{ name: 'Ada', uri: 'customer://1' }] }]);
    const templates = [{ server: 'demo', uriTemplate: 'customer://{id}' }, { server: 'files', uriTemplate: 'file:///{+path}' }];
    expect(routeUri('customer://1', listed, [])).toEqual({ ok: true, server: 'demo', name: 'customer://1' });
    expect(routeUri('customer://9', listed, templates)).toEqual({ ok: true, server: 'demo', name: 'customer://9' });
    expect(routeUri('file:///etc/hosts', listed, templates)).toMatchObject({ ok: true, server: 'files' });
  });

  it('refuses a URI two servers list or two servers\' templates match, and one nobody offers', () => {
    const listed = mergeByUri([{ server: 'one', items: [{ name: 'x', uri: 'customer://1' }] }, { server: 'two', items: [{ name: 'y', uri: 'customer://1' }] }]);
    expect(routeUri('customer://1', listed, [])).toMatchObject({ ok: false, message: expect.stringMatching(/"one", "two"/) });
    const templates = [{ server: 'one', uriTemplate: 'customer://{id}' }, { server: 'two', uriTemplate: 'customer://{id}' }];
    expect(routeUri('customer://2', undefined, templates)).toMatchObject({ ok: false, message: expect.stringMatching(/more than one server/) });
    expect(routeUri('mail://2', undefined, templates)).toMatchObject({ ok: false, message: expect.stringMatching(/No connected server offers/) });
  });

  it('joins server and name with a double underscore', () => {
    expect(prefixedName('demo', 'run_sql')).toBe('demo__run_sql');
  });
});
