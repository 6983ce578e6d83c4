// Results of the label self-assessment: the score ratio, knock-outs (minimum
// requirements failed), readiness per label level with its reasons, the gaps by points
// lost with the modules that address them, and the position against peer groups.

import { comparisonGroups, peerBand, quantileIndex } from "../flow.js";
import { h } from "./dom.js";
import { stripChart } from "./radar.js";
import { levelTitle, peerQuartiles, peersNote } from "./results.js";

const BAND_KEYS = {
  band_below: "band_below",
  band_low: "band_low",
  band_mid_low: "band_mid_low",
  band_mid_high: "band_mid_high",
  band_high: "band_high",
  band_above: "band_above",
};

/**
 * The reason a label level is not reachable, from its `kind`, `actual` and `needed`
 * (not its English `message`), in the UI strings.
 */
export function reasonText(player, reason, names) {
  const { t, fmt } = player;
  const args = { actual: fmt.percent(reason.actual), needed: fmt.percent(reason.needed) };
  if (reason.kind === "requirement") {
    return `${t("reason_requirement")} ${names.requirement(reason.requirement)}`;
  }
  if (reason.kind === "ratio") return t("reason_ratio", args);
  if (reason.kind === "coverage") return t("reason_coverage", args);
  return t("reason_other");
}

export function labelResults(player, result) {
  const { doc, t, fmt, bundle } = player;
  const ins = bundle.instrument;
  const rules = ins.label;
  const lab = result.label;
  const byId = (list) => new Map(list.map((x) => [x.id, x]));
  const levels = byId(rules.levels);
  const indicators = byId(rules.indicators);
  const requirements = byId(rules.requirements);
  const names = {
    requirement: (id) => requirements.get(id)?.title ?? id,
    level: (id) => levels.get(id)?.title ?? id,
  };

  const summary = h(
    doc,
    "div",
    { class: "ce-label-summary" },
    h(
      doc,
      "p",
      { class: "ce-overall", id: "ce-label-level" },
      lab.level
        ? [t("label_level_reached"), " ", h(doc, "strong", {}, names.level(lab.level))]
        : t("label_level_none"),
    ),
    h(
      doc,
      "p",
      { id: "ce-label-ratio" },
      t("label_points", {
        points: fmt.number(lab.points),
        max_points: fmt.number(lab.max_points),
        ratio: fmt.percent(lab.ratio),
      }),
    ),
    h(doc, "p", {}, t("answered_share", { share: fmt.percent(result.answered_share) })),
    h(
      doc,
      "p",
      { id: "ce-overall" },
      t("overall_score", { score: fmt.percent(result.overall.score) }),
      result.overall.level ? [" ", t("level_is"), " ", levelTitle(bundle, result.overall.level)] : null,
    ),
    lab.valid_months ? h(doc, "p", {}, t("label_valid_months", { months: lab.valid_months })) : null,
  );

  const knockouts = lab.requirements_failed.length
    ? h(
        doc,
        "ul",
        { class: "ce-knockouts" },
        lab.requirements_failed.map((id) => {
          const req = requirements.get(id);
          return h(
            doc,
            "li",
            { "data-id": id },
            h(doc, "strong", {}, req?.title ?? id),
            req?.description ? h(doc, "div", { html: req.description }) : null,
          );
        }),
      )
    : h(doc, "p", {}, t("knockouts_none"));

  const readiness = h(
    doc,
    "ul",
    { class: "ce-readiness" },
    lab.levels.map((lv) =>
      h(
        doc,
        "li",
        { "data-level": lv.level, class: lv.reachable ? "ce-reachable" : "ce-unreachable" },
        h(doc, "strong", {}, names.level(lv.level)),
        " ",
        lv.reachable ? t("level_reachable") : t("level_not_reachable"),
        lv.reasons.length
          ? h(
              doc,
              "ul",
              {},
              lv.reasons.map((reason) =>
                h(doc, "li", { "data-kind": reason.kind }, reasonText(player, reason, names)),
              ),
            )
          : null,
      ),
    ),
  );

  const gaps = lab.gaps.length
    ? h(
        doc,
        "ol",
        { class: "ce-gaps" },
        lab.gaps.map((g) => {
          const ind = indicators.get(g.indicator);
          const mods = g.modules.filter((id) => Object.hasOwn(bundle.modules, id));
          return h(
            doc,
            "li",
            { "data-id": g.indicator },
            ind?.title ?? g.indicator,
            " ",
            t("gap_points", { points: fmt.number(g.points) }),
            g.answered ? null : [" ", t("gap_unanswered")],
            mods.length
              ? h(
                  doc,
                  "p",
                  { class: "ce-gap-modules" },
                  t("gap_modules"),
                  " ",
                  mods.map((id, k) => [k ? ", " : "", h(doc, "span", { "data-module": id }, bundle.modules[id].title)]),
                )
              : null,
          );
        }),
      )
    : h(doc, "p", {}, t("gaps_none"));

  return [
    summary,
    h(doc, "h3", {}, t("knockouts")),
    knockouts,
    h(doc, "h3", {}, t("readiness")),
    readiness,
    h(doc, "h3", {}, t("gaps")),
    gaps,
    h(doc, "h3", {}, t("areas")),
    areaTable(player, result),
    h(doc, "h3", {}, t("peer_position")),
    peerPosition(player, result),
    rules.disclaimer ? h(doc, "div", { class: "ce-disclaimer", html: rules.disclaimer }) : null,
  ];
}

function areaTable(player, result) {
  const { doc, t, fmt, bundle } = player;
  return h(
    doc,
    "table",
    { class: "ce-scores" },
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
        h(doc, "th", { scope: "col" }, t("peers_median")),
      ),
    ),
    h(
      doc,
      "tbody",
      {},
      bundle.instrument.dimensions.map((d) => {
        const score = result.dimensions[d.id]?.score ?? null;
        return h(
          doc,
          "tr",
          { "data-id": d.id },
          h(doc, "th", { scope: "row" }, d.title),
          h(doc, "td", { class: "ce-score" }, score === null ? t("not_scored") : fmt.percent(score)),
          h(doc, "td", {}, fmt.percent(peerQuartiles(bundle.peers, d.id).median)),
        );
      }),
    ),
  );
}

function peerPosition(player, result) {
  const { doc, t, fmt, bundle, state } = player;
  const peers = bundle.peers;
  const groups = comparisonGroups(peers, state.profile);
  if (!groups.length) return h(doc, "p", {}, t("peers_none"));
  const score = result.overall.score;
  const rows = groups.map((g) => {
    if (!g.measures) {
      return h(
        doc,
        "li",
        { "data-group": g.id, class: "ce-withheld" },
        h(doc, "strong", {}, g.title),
        " ",
        t("group_withheld", { n: g.n, k: peers.k }),
      );
    }
    const qs = g.measures.overall;
    const at = Object.fromEntries([0.1, 0.25, 0.5, 0.75, 0.9].map((q) => [q, qs[quantileIndex(peers, q)]]));
    const band = peerBand(peers, g, "overall", score);
    return h(
      doc,
      "li",
      { "data-group": g.id },
      h(doc, "strong", {}, g.title),
      " ",
      t("group_size", { n: g.n }),
      h(doc, "p", { class: "ce-band" }, band ? t(BAND_KEYS[band]) : t("band_unknown")),
      stripChart(doc, at, score),
      h(
        doc,
        "p",
        { class: "ce-quartiles" },
        t("group_quartiles", {
          p25: fmt.percent(at[0.25]),
          median: fmt.percent(at[0.5]),
          p75: fmt.percent(at[0.75]),
          score: fmt.percent(score),
        }),
      ),
    );
  });
  return [
    h(doc, "ul", { class: "ce-groups" }, rows),
    peersNote(player),
  ];
}
