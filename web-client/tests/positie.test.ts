import { describe, expect, it } from 'vitest';
import { hoogste } from '../src/api';

describe('the highest store position seen', () => {
  it('keeps the highest, as whole numbers of any length', () => {
    expect(hoogste(undefined, '42')).toBe('42');
    expect(hoogste('42', '9')).toBe('42');
    expect(hoogste('99', '100')).toBe('100');
    expect(hoogste('18446744073709551614', '18446744073709551615')).toBe('18446744073709551615');
  });

  it('ignores an answer without a position, or with something else', () => {
    expect(hoogste('42', null)).toBe('42');
    expect(hoogste('42', 'gisteren')).toBe('42');
    expect(hoogste(undefined, null)).toBeUndefined();
  });
});
