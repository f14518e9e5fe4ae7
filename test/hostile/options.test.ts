/**
 * Options, held for every exported loss: only a plain object's own keys count. Inherited and
 * prototype keys, `__proto__` own keys, symbols, Maps, arrays and class instances are rejected,
 * never silently ignored; `undefined` values mean "absent" for every option, `out` included.
 */
import { describe, expect, it } from 'vitest';
import { LossInputError } from '../../src';
import { lossCases } from '../helpers/lossCases';

class Settings {
  reduction = 'sum';
}

describe.each(lossCases())('$name options', ({ loss, args, options }) => {
  const call = (o: unknown) => () => loss(...args, o);
  const fn = loss.lossName;

  it.each([
    ['constructor', { constructor: 1 }],
    ['toString', { toString: 'x' }],
    ['hasOwnProperty', { hasOwnProperty: 0 }],
    ['__proto__ (own key, from JSON)', JSON.parse('{"__proto__": 1}')],
  ])('rejects the prototype key %s as an unknown option', (key, bad) => {
    expect(call({ ...options, ...bad })).toThrow(`${fn}: option "${key.split(' ')[0]}" must be one of`);
    expect(() => loss.grad(...args, { ...options, ...bad })).toThrow(LossInputError);
  });

  it('rejects a symbol key', () => {
    expect(call({ ...options, [Symbol('reduction')]: 'sum' })).toThrow(`${fn}: option Symbol(reduction) must be one of`);
  });

  it.each([
    ['a Map', new Map([['reduction', 'sum']])],
    ['a class instance', new Settings()],
    ['an object inheriting its keys', Object.create({ reduction: 'sum' })],
    ['an array', []],
    ['a string', 'sum'],
    ['null', null],
  ])('rejects %s as options', (_, bad) => {
    expect(call(bad)).toThrow(`${fn}: options must be a plain object, got`);
    expect(() => loss.grad(...args, bad)).toThrow(`${fn}: options must be a plain object, got`);
  });

  it('accepts a null-prototype object like a literal', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, options ?? {});
    expect(loss(...args, bare)).toBe(loss(...args, options));
  });

  it('reads an undefined value as the default, for every option and for out', () => {
    const reference = loss(...args, options);
    for (const key of Object.keys(loss.defaults)) {
      if (options && key in options) continue;
      expect(loss(...args, { ...options, [key]: undefined })).toBe(reference);
    }
    expect(loss.valueAndGrad(...args, { ...options, out: undefined }).value).toBe(reference);
  });

  it('reports its defaults, frozen', () => {
    expect(Object.isFrozen(loss.defaults)).toBe(true);
    expect(Object.keys(loss.defaults)).toContain('reduction');
  });

  it('rejects out outside grad', () => {
    expect(call({ ...options, out: new Float64Array(6) })).toThrow(`${fn}: option "out" must be one of`);
  });
});
