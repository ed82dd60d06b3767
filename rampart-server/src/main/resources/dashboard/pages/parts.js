/*
 * Small drawing parts shared by pages (not a page itself): SVG elements, a sparkline and a quota
 * gauge. Charts are inline SVG shaped by classes from style.css, never inline styles, which the
 * dashboard's Content-Security-Policy refuses.
 */

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes. */
export function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A sparkline of one series' values (time-ordered, from min to max) as a polyline scaled into a small box. */
export function sparkline(points, min, max, label) {
  const width = 220;
  const height = 48;
  const pad = 3;
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const x = (t) => (t1 === t0 ? width / 2 : pad + (t - t0) / (t1 - t0) * (width - 2 * pad));
  const y = (v) => (max === min ? height / 2 : height - pad - (v - min) / (max - min) * (height - 2 * pad));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'spark', role: 'img', 'aria-label': label });
  const title = svg('title');
  title.textContent = label;
  chart.append(title, svg('line', { x1: 0, y1: height - 1, x2: width, y2: height - 1, class: 'spark-axis' }));
  if (points.length === 1) {
    chart.append(svg('circle', { cx: x(t0), cy: y(points[0].v), r: 2.5, class: 'spark-dot' }));
  } else {
    chart.append(svg('polyline', { points: points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' '),
      class: 'spark-line' }));
    const lastPoint = points[points.length - 1];
    chart.append(svg('circle', { cx: x(lastPoint.t), cy: y(lastPoint.v), r: 2.5, class: 'spark-dot' }));
  }
  return chart;
}

/**
 * One quota of /api/v1/stats (`guardrail`, `subject`, `used`, `limit`) as a labelled meter: a bar
 * of the share of the limit in use, amber from 80 %, red when full.
 */
export function gauge(h, q) {
  const share = q.limit > 0 ? Math.min(1, q.used / q.limit) : 0;
  const tone = share >= 1 ? 'bad' : share >= 0.8 ? 'warn' : 'ok';
  const bar = svg('svg', { viewBox: '0 0 100 8', preserveAspectRatio: 'none', class: 'gauge-bar', 'aria-hidden': 'true' });
  for (const [cls, width] of [['gauge-track', 100], ['gauge-fill ' + tone, share * 100]]) {
    bar.append(svg('rect', { class: cls, width, height: 8 }));
  }
  const label = `${q.guardrail}${q.subject ? ' · ' + q.subject : ''}`;
  return h('li', { 'data-test': 'quota-' + q.guardrail },
    h('div', { class: 'gauge-label' }, h('span', {}, label),
      h('span', { class: tone }, `${q.used} / ${q.limit}`)),
    h('div', { role: 'meter', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': String(q.limit),
      'aria-valuenow': String(q.used) }, bar));
}
