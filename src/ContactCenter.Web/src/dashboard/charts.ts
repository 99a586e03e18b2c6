// Hand-made SVG charts for the dashboard: stacked bars per hour, a donut, horizontal bars.
// Every chart is an <svg role="img"> with a <title> and <desc> for screen readers, and a <title>
// per mark for the pointer. Attributes only (no inline style strings: the CSP forbids them).

const NS = 'http://www.w3.org/2000/svg';

type SvgChild = SVGElement | string | null | undefined | false;

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: SvgChild[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) el.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

const title = (text: string) => svg('title', {}, text);

/** The smallest whole "nice" step (1, 2, 5 × 10^k) at or above <paramref name="value"/>. */
export function niceStep(value: number): number {
  const v = Math.max(1, value);
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= v) return step * power;
  }
  return 10 * power;
}

export const channelColours: Record<string, string> = {
  whatsapp: '#1fa463', 'live-chat': '#1e88e5', 'social-media': '#d81b60', email: '#8e24aa',
  'inbound-call': '#f2a900', 'outlet-reservation': '#6d4c41',
};
export const colourOfChannel = (channel: string) => channelColours[channel] ?? '#607d8b';

export interface StackedSeries { key: string; label: string; colour: string }

/**
 * Stacked bars, one per category (hour), with an optional line on top (e.g. ended per hour).
 * @param values values[category][series key]
 */
export function stackedBars(options: {
  label: string; description: string; categories: string[]; series: StackedSeries[]; values: Record<string, number>[];
  line?: { label: string; values: number[] }; highlight?: number; categoryTitle: (i: number) => string;
}): SVGSVGElement {
  const width = 760, height = 250, left = 34, right = 10, top = 12, bottom = 26;
  const plotW = width - left - right, plotH = height - top - bottom;
  const totals = options.values.map(v => options.series.reduce((sum, s) => sum + (v[s.key] ?? 0), 0));
  // Whole-number ticks: a step of 1, 2 or 5 × 10^k, four or five of them.
  const step = niceStep(Math.max(4, ...totals, ...(options.line?.values ?? [])) / 4);
  const max = step * Math.ceil(Math.max(4, ...totals, ...(options.line?.values ?? [])) / step);
  const y = (value: number) => top + plotH - (value / max) * plotH;
  const slot = plotW / options.categories.length;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart chart-bars', preserveAspectRatio: 'xMidYMid meet' },
    title(options.label), svg('desc', {}, options.description));

  for (let value = 0; value <= max; value += step) {
    chart.append(
      svg('line', { x1: left, x2: width - right, y1: y(value), y2: y(value), class: value === 0 ? 'axis' : 'grid' }),
      svg('text', { x: left - 6, y: y(value) + 4, class: 'tick', 'text-anchor': 'end' }, String(value)));
  }

  options.categories.forEach((category, i) => {
    const x = left + i * slot;
    if (i === options.highlight) {
      chart.append(svg('rect', { x, y: top, width: slot, height: plotH, class: 'now' }));
    }
    let base = 0;
    const group = svg('g', { class: 'bar', 'data-category': category });
    for (const s of options.series) {
      const value = options.values[i][s.key] ?? 0;
      if (value <= 0) continue;
      const y1 = y(base + value), y0 = y(base);
      group.append(svg('rect', { x: x + slot * 0.14, y: y1, width: slot * 0.72, height: Math.max(1, y0 - y1), fill: s.colour, rx: 2 },
        title(`${options.categoryTitle(i)} · ${s.label}: ${value}`)));
      base += value;
    }
    if (base > 0) {
      group.append(svg('text', { x: x + slot / 2, y: y(base) - 4, class: 'value', 'text-anchor': 'middle' }, String(base)));
    }
    chart.append(group);
    if (i % 3 === 0 || i === options.highlight) {
      chart.append(svg('text', { x: x + slot / 2, y: height - 8, class: i === options.highlight ? 'tick strong' : 'tick', 'text-anchor': 'middle' }, category));
    }
  });

  if (options.line) {
    const points = options.line.values.map((value, i) => `${left + i * slot + slot / 2},${y(value)}`).join(' ');
    chart.append(svg('polyline', { points, class: 'line' }));
    options.line.values.forEach((value, i) => {
      if (value > 0) {
        chart.append(svg('circle', { cx: left + i * slot + slot / 2, cy: y(value), r: 3.2, class: 'line-dot' }, title(`${options.categoryTitle(i)} · ${options.line!.label}: ${value}`)));
      }
    });
  }
  return chart;
}

export interface Slice { key: string; label: string; value: number; colour: string }

/** A donut of parts of a whole, the total in the middle. */
export function donut(options: { label: string; slices: Slice[]; centre: string; caption: string }): SVGSVGElement {
  const size = 180, r = 66, stroke = 24, c = 2 * Math.PI * r;
  const total = options.slices.reduce((sum, s) => sum + s.value, 0);
  const chart = svg('svg', { viewBox: `0 0 ${size} ${size}`, role: 'img', class: 'chart chart-donut' },
    title(options.label),
    svg('desc', {}, options.slices.map(s => `${s.label}: ${s.value}`).join(', ')),
    svg('circle', { cx: size / 2, cy: size / 2, r, class: 'donut-track', 'stroke-width': stroke, fill: 'none' }));
  let offset = 0;
  for (const s of options.slices) {
    if (s.value <= 0) continue;
    const length = (s.value / total) * c;
    chart.append(svg('circle', {
      cx: size / 2, cy: size / 2, r, fill: 'none', stroke: s.colour, 'stroke-width': stroke,
      'stroke-dasharray': `${length} ${c - length}`, 'stroke-dashoffset': -offset,
      transform: `rotate(-90 ${size / 2} ${size / 2})`, 'data-slice': s.key,
    }, title(`${s.label}: ${s.value}`)));
    offset += length;
  }
  chart.append(
    svg('text', { x: size / 2, y: size / 2 + 4, class: 'donut-total', 'text-anchor': 'middle' }, options.centre),
    svg('text', { x: size / 2, y: size / 2 + 24, class: 'donut-caption', 'text-anchor': 'middle' }, options.caption));
  return chart;
}

export interface Bar { label: string; value: number | null; note: string; colour: string }

/** Horizontal bars of a 0-100 figure, one row per item, the value at the end of each bar. */
export function horizontalBars(options: { label: string; bars: Bar[]; max?: number; unit?: string; empty: string }): SVGSVGElement {
  const rowH = 30, width = 420, labelW = 120, valueW = 56;
  const height = Math.max(1, options.bars.length) * rowH + 8;
  const max = options.max ?? 100;
  const plotW = width - labelW - valueW;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart chart-hbars' },
    title(options.label),
    svg('desc', {}, options.bars.map(b => `${b.label}: ${b.value ?? '–'}${options.unit ?? ''} (${b.note})`).join(', ')));
  if (options.bars.length === 0) {
    chart.append(svg('text', { x: width / 2, y: height / 2 + 4, class: 'tick', 'text-anchor': 'middle' }, options.empty));
    return chart;
  }
  options.bars.forEach((bar, i) => {
    const y = 4 + i * rowH;
    const w = bar.value === null ? 0 : (Math.max(0, Math.min(max, bar.value)) / max) * plotW;
    chart.append(svg('g', { class: 'hbar' },
      title(`${bar.label}: ${bar.value ?? '–'}${options.unit ?? ''} · ${bar.note}`),
      svg('text', { x: labelW - 8, y: y + rowH / 2 + 1, class: 'label', 'text-anchor': 'end' }, bar.label),
      svg('rect', { x: labelW, y: y + 6, width: plotW, height: rowH - 12, class: 'hbar-track', rx: 4 }),
      svg('rect', { x: labelW, y: y + 6, width: w, height: rowH - 12, fill: bar.colour, rx: 4 }),
      svg('text', { x: labelW + plotW + 8, y: y + rowH / 2 + 1, class: 'value' }, bar.value === null ? '–' : `${bar.value}${options.unit ?? ''}`)));
  });
  return chart;
}
