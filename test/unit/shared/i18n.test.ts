import { describe, expect, it } from 'vitest';
import { catalogKeys, translator } from '../../../src/shared/i18n.js';

describe('message catalog', () => {
  it('has every key in every locale', () => {
    const keys = catalogKeys();
    expect([...keys['zh-CN']].sort()).toEqual([...keys['en-US']].sort());
  });

  it('fills placeholders and refuses a missing one', () => {
    expect(translator('en-US')('error.internal', { ref: 'r-1' })).toContain('(ref r-1)');
    expect(translator('zh-CN')('error.internal', { ref: 'r-1' })).toContain('编号 r-1');
    expect(() => translator('en-US')('error.internal')).toThrow('message error.internal needs {ref}');
  });
});
