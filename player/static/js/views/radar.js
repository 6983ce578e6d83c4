// SVG charts of results: a radar of the learner's area scores against the peers'
// interquartile band and median, and a strip of one score among a group's quantiles.
// Both are drawn for sighted readers only (aria-hidden); the views put the same values
// in a table next to them. Geometry is pure (tested in node).

import { s } from "./dom.js";

/** The point of value `v` in [0, 1] on axis `k` of `n` (axis 0 points up). */
export function radarPoint(k, n, v, { cx = 0, cy = 0, r = 1 } = {}) {
  const angle = -Math.PI / 2 + (2 * Math.PI * k) / n;
  const d = Math.min(Math.max(v ?? 0, 0), 1) * r;
  return [cx + d * Math.cos(angle), cy + d * Math.sin(angle)];
}

/** An SVG path ring through `values` (one per axis; null counts as 0). */
export function radarPath(values, geometry) {
  const pts = values.map((v, k) => radarPoint(k, values.length, v, geometry));
  return `M${pts.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join("L")}Z`;
}

/**
 * The radar chart: `axes` [{title, learner, p25, median, p75}] (values in [0, 1]
 * or null); peer values may be absent (no band drawn).
 */
export function radarChart(doc, axes, { width = 640, height = 440 } = {}) {
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) * 0.33;
  const geometry = { cx, cy, r };
  const n = axes.length;
  const grid = [0.25, 0.5, 0.75, 1].map((v) =>
    s(doc, "path", { class: "ce-radar-grid", d: radarPath(Array(n).fill(v), geometry) }),
  );
  const spokes = axes.map((_, k) => {
    const [x, y] = radarPoint(k, n, 1, geometry);
    return s(doc, "line", { class: "ce-radar-spoke", x1: cx, y1: cy, x2: x, y2: y });
  });
  const labels = axes.map((a, k) => {
    const [x, y] = radarPoint(k, n, 1, { ...geometry, r: r * 1.1 });
    const dx = x - cx;
    const anchor = Math.abs(dx) < 1 ? "middle" : dx > 0 ? "start" : "end";
    const lines = wrap(a.title, 18);
    const top = y > cy + 1 ? y + 12 : Math.abs(y - cy) <= 1 ? y + 4 - (lines.length - 1) * 7 : y - (lines.length - 1) * 14;
    return s(
      doc,
      "text",
      { class: "ce-radar-label", x: x.toFixed(2), y: top.toFixed(2), "text-anchor": anchor },
      lines.map((line, j) => s(doc, "tspan", { x: x.toFixed(2), dy: j ? 14 : 0 }, line)),
    );
  });
  const hasPeers = axes.every((a) => a.p25 !== undefined && a.p25 !== null);
  const band = hasPeers
    ? [
        s(doc, "path", {
          class: "ce-radar-band",
          "fill-rule": "evenodd",
          d: `${radarPath(axes.map((a) => a.p75), geometry)}${radarPath(axes.map((a) => a.p25), geometry)}`,
        }),
        s(doc, "path", { class: "ce-radar-median", d: radarPath(axes.map((a) => a.median), geometry) }),
      ]
    : [];
  const learner = s(doc, "path", { class: "ce-radar-learner", d: radarPath(axes.map((a) => a.learner), geometry) });
  const dots = axes.map((a, k) => {
    if (a.learner === null || a.learner === undefined) return null;
    const [x, y] = radarPoint(k, n, a.learner, geometry);
    return s(doc, "circle", { class: "ce-radar-dot", cx: x.toFixed(2), cy: y.toFixed(2), r: 4 });
  });
  return s(
    doc,
    "svg",
    {
      class: "ce-radar",
      viewBox: `0 0 ${width} ${height}`,
      "aria-hidden": "true",
      focusable: "false",
    },
    grid,
    spokes,
    band,
    learner,
    dots,
    labels,
  );
}

/** `text` in lines of at most about `width` characters, broken at spaces. */
export function wrap(text, width) {
  const lines = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [""];
}

/**
 * A horizontal strip from 0 to 1: the 10th–90th percentile whiskers, the interquartile
 * box, the median and the learner's mark. `qs` maps 0.1, 0.25, 0.5, 0.75, 0.9 to values.
 */
export function stripChart(doc, qs, learner, { width = 320, height = 36 } = {}) {
  const pad = 8;
  const x = (v) => pad + Math.min(Math.max(v, 0), 1) * (width - 2 * pad);
  const mid = height / 2;
  const parts = [
    s(doc, "line", { class: "ce-strip-axis", x1: x(0), x2: x(1), y1: mid, y2: mid }),
    s(doc, "line", { class: "ce-strip-whisker", x1: x(qs[0.1]), x2: x(qs[0.9]), y1: mid, y2: mid }),
    s(doc, "rect", {
      class: "ce-strip-box",
      x: x(qs[0.25]),
      y: mid - 8,
      width: Math.max(x(qs[0.75]) - x(qs[0.25]), 1),
      height: 16,
    }),
    s(doc, "line", { class: "ce-strip-median", x1: x(qs[0.5]), x2: x(qs[0.5]), y1: mid - 10, y2: mid + 10 }),
  ];
  if (learner !== null && learner !== undefined) {
    const lx = x(learner);
    parts.push(s(doc, "path", { class: "ce-strip-learner", d: `M${lx},${mid - 4}l6,-10h-12z` }));
  }
  return s(
    doc,
    "svg",
    { class: "ce-strip", viewBox: `0 0 ${width} ${height}`, width, height, "aria-hidden": "true", focusable: "false" },
    parts,
  );
}
