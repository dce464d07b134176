import { describe, expect, it } from 'vitest';
import { chartSvg, panelSvg } from './chart.js';

describe('the scaling chart', () => {
  const panel = {
    title: 'records/s <by> instances',
    groups: [
      {
        heading: 'metadata-writer',
        bars: [
          { label: '1 instance', value: 5_000, note: '5,000', color: '#000' },
          { label: '3 instances', value: 10_000, note: '10,000 (2.00x)', color: '#111' },
        ],
      },
    ],
  };

  it('draws bars in proportion, the longest filling the plot', () => {
    const { svg, height } = panelSvg(panel, 0);
    const widths = svg
      .flatMap((element) => /<rect [^>]*width="([\d.]+)"/.exec(element)?.[1] ?? [])
      .map(Number);
    expect(widths).toHaveLength(2);
    expect(widths[1]! / widths[0]!).toBeCloseTo(2);
    expect(height).toBeGreaterThan(3 * 16);
  });

  it('is one SVG document with its text escaped', () => {
    const svg = chartSvg([panel, panel], 'caption & more');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('records/s &lt;by&gt; instances');
    expect(svg).toContain('caption &amp; more');
    expect(svg).not.toContain('<by>');
  });
});
