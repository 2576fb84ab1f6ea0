import { describe, expect, it } from 'vitest';
import { AVATAR_COLORS, colorFor } from './presence.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(hex.slice(i, i + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

describe('avatar colours', () => {
  it('all keep white initials readable (contrast ≥ 4.5:1)', () => {
    for (const color of AVATAR_COLORS) expect((1 + 0.05) / (luminance(color) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });

  it('are stable per client and spread over the palette', () => {
    expect(colorFor('tab-1')).toBe(colorFor('tab-1'));
    const used = new Set(Array.from({ length: 200 }, (_, i) => colorFor(`tab-${i}`)));
    expect(used.size).toBe(AVATAR_COLORS.length);
  });
});
