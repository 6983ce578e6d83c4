// Results of the competency self-test (a level per area, the radar against peers, the
// modules for the weakest areas) and the score table shared with the case study.

import { quantileIndex, weakestAreas } from "../flow.js";
import { h } from "./dom.js";
import { radarChart } from "./radar.js";

/** Level title of a level id of the instrument, or null. */
export function levelTitle(bundle, levelId) {
  if (levelId === null || levelId === undefined) return null;
  return bundle.instrument?.levels.find((l) => l.id === levelId)?.title ?? levelId;
}

/** A table of `rows` [{id, title, score}] with a caption. */
export function scoreTable(player, rows, { caption, header }) {
  const { doc, t, fmt } = player;
  return h(
    doc,
    "table",
    { class: "ce-scores" },
    h(doc, "caption", {}, caption),
    h(
      doc,
      "thead",
      {},
      h(doc, "tr", {}, h(doc, "th", { scope: "col" }, header), h(doc, "th", { scope: "col" }, t("your_score"))),
    ),
    h(
      doc,
      "tbody",
      {},
      rows.map((r) =>
        h(
          doc,
          "tr",
          { "data-id": r.id },
          h(doc, "th", { scope: "row" }, r.title),
          h(doc, "td", { class: "ce-score" }, r.score === null ? t("not_scored") : fmt.percent(r.score)),
        ),
      ),
    ),
  );
}

/** The peers' p25, median and p75 of `measure` in the group `all`, or nulls. */
export function peerQuartiles(peers, measure, group = null) {
  const g = group ?? peers?.groups.find((x) => Object.keys(x.filter ?? {}).length === 0);
  const qs = g?.measures?.[measure];
  if (!qs) return { p25: null, median: null, p75: null };
  const at = (q) => qs[quantileIndex(peers, q)] ?? null;
  return { p25: at(0.25), median: at(0.5), p75: at(0.75) };
}

/** Where the peer figures come from: synthetic, or their source. */
export function peersNote(player) {
  const { doc, t, bundle } = player;
  const peers = bundle.peers;
  const text = peers.synthetic ? t("peers_synthetic") : t("peers_source", { source: peers.source });
  return h(doc, "p", { class: "ce-source" }, text);
}

/** The elements of the self-test's results. */
export function selfTestResults(player, result) {
  const { doc, t, fmt, bundle } = player;
  const ins = bundle.instrument;
  const overallLevel = levelTitle(bundle, result.overall.level);
  const axes = ins.dimensions.map((d) => ({
    id: d.id,
    title: d.title,
    learner: result.dimensions[d.id]?.score ?? null,
    level: result.dimensions[d.id]?.level ?? null,
    ...peerQuartiles(bundle.peers, d.id),
  }));
  const hasPeers = axes.every((a) => a.median !== null);
  const weakest = weakestAreas(bundle, result);
  const tableId = "ce-area-table";
  return [
    h(
      doc,
      "p",
      { class: "ce-overall", id: "ce-overall" },
      t("overall_score", { score: fmt.percent(result.overall.score) }),
      " ",
      overallLevel ? [t("level_is"), " ", overallLevel] : t("no_level"),
    ),
    h(doc, "p", {}, t("answered_share", { share: fmt.percent(result.answered_share) })),
    h(doc, "h3", {}, t("areas")),
    h(
      doc,
      "figure",
      { class: "ce-chart" },
      radarChart(doc, axes),
      h(
        doc,
        "figcaption",
        {},
        hasPeers ? t("radar_caption_peers") : t("radar_caption"),
        " ",
        h(doc, "a", { href: `#${tableId}` }, t("values_in_table")),
      ),
    ),
    h(
      doc,
      "table",
      { class: "ce-scores", id: tableId },
      h(doc, "caption", {}, t("area_table_caption")),
      h(
        doc,
        "thead",
        {},
        h(
          doc,
          "tr",
          {},
          h(doc, "th", { scope: "col" }, t("area")),
          h(doc, "th", { scope: "col" }, t("your_score")),
          h(doc, "th", { scope: "col" }, t("level")),
          hasPeers
            ? [
                h(doc, "th", { scope: "col" }, t("peers_p25")),
                h(doc, "th", { scope: "col" }, t("peers_median")),
                h(doc, "th", { scope: "col" }, t("peers_p75")),
              ]
            : null,
        ),
      ),
      h(
        doc,
        "tbody",
        {},
        axes.map((a) =>
          h(
            doc,
            "tr",
            { "data-id": a.id },
            h(doc, "th", { scope: "row" }, a.title),
            h(doc, "td", { class: "ce-score" }, a.learner === null ? t("not_scored") : fmt.percent(a.learner)),
            h(doc, "td", { class: "ce-level" }, levelTitle(bundle, a.level) ?? "–"),
            hasPeers
              ? [
                  h(doc, "td", {}, fmt.percent(a.p25)),
                  h(doc, "td", {}, fmt.percent(a.median)),
                  h(doc, "td", {}, fmt.percent(a.p75)),
                ]
              : null,
          ),
        ),
      ),
    ),
    hasPeers ? peersNote(player) : null,
    h(doc, "h3", {}, t("recommended_modules")),
    weakest.length
      ? h(
          doc,
          "ul",
          { class: "ce-recommendations" },
          weakest.map((w) =>
            h(
              doc,
              "li",
              { "data-id": w.id },
              w.title,
              ` (${fmt.percent(w.score)})`,
              w.modules.length
                ? h(doc, "ul", {}, w.modules.map((m) => h(doc, "li", { "data-module": m.id }, m.title)))
                : h(doc, "p", {}, t("no_modules")),
            ),
          ),
        )
      : h(doc, "p", {}, t("no_recommendations")),
  ];
}
