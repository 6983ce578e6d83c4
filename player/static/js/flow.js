// What the player shows, in which order, and the figures around it: screens of a
// module, progress, answered counts, the weakest areas and peer positions. Pure
// functions of the bundle, the learner state and the result JSON (tested in node).

/** Screen ids of the reading part of a case, in order: intro, sections, exhibits. */
export function caseReadingScreens(bundle) {
  const c = bundle.case;
  return [
    "intro",
    ...c.sections.map((s) => `section:${s.id}`),
    ...(c.exhibits.length ? ["exhibits"] : []),
  ];
}

/** Screen ids of a questionnaire, in order: intro, profile, sections, review, results. */
export function questionnaireScreens(bundle) {
  const ins = bundle.instrument;
  return [
    "intro",
    ...(ins.profile.length ? ["profile"] : []),
    ...ins.sections.map((s) => `section:${s.id}`),
    "review",
    "results",
  ];
}

/**
 * Whether `screen` can be shown for `state`: a known screen, and for a case a point
 * reached by the path (or its feedback).
 */
export function screenAllowed(bundle, state, screen) {
  if (typeof screen !== "string") return false;
  if (bundle.case) {
    if (caseReadingScreens(bundle).includes(screen)) return true;
    const [kind, id] = splitScreen(screen);
    const chosen = state.path.map(([p]) => p);
    if (kind === "point") return bundle.case.points.some((p) => p.id === id);
    if (kind === "feedback") return chosen.at(-1) === id;
    return (screen === "debrief" || screen === "results") && state.path.length > 0;
  }
  return questionnaireScreens(bundle).includes(screen);
}

/** `"point:x"` → `["point", "x"]`; a screen without an id → `[screen, null]`. */
export function splitScreen(screen) {
  const k = screen.indexOf(":");
  return k < 0 ? [screen, null] : [screen.slice(0, k), screen.slice(k + 1)];
}

/** Share of the module done, in [0, 1]: answered items, or decisions made in a case. */
export function progress(bundle, state) {
  if (state.finished) return 1;
  if (bundle.case) {
    return Math.min(state.path.length / bundle.case.points.length, 1);
  }
  const items = bundle.instrument.items;
  return answeredIds(bundle, state).length / items.length;
}

/** Ids of the instrument's items answered in `state`, in instrument order. */
export function answeredIds(bundle, state) {
  return bundle.instrument.items
    .map((it) => it.id)
    .filter((id) => state.answers[id] !== undefined);
}

/** Per section of the questionnaire: {id, title, answered, total}. */
export function sectionCounts(bundle, state) {
  return bundle.instrument.sections.map((s) => ({
    id: s.id,
    title: s.title,
    answered: s.items.filter((id) => state.answers[id] !== undefined).length,
    total: s.items.length,
  }));
}

/** The answers a case is scored on: point id → option id along the path. */
export function pathAnswers(path) {
  return Object.fromEntries(path);
}

/** Required profile fields left empty. */
export function missingProfile(bundle, state) {
  return bundle.instrument.profile.filter((f) => f.required && state.profile[f.id] === undefined);
}

/** Top-level dimensions and their descendants' ids, for collecting modules. */
function descendants(dim) {
  return [dim, ...(dim.children ?? []).flatMap(descendants)];
}

/**
 * The weakest scored areas (top-level dimensions), lowest score first (ties in
 * instrument order), at most `count`, each with the modules that train it (the
 * dimension's and its sub-dimensions', known to the bundle, without repeats):
 * `[{id, title, score, modules: [{id, title, course}]}]`.
 */
export function weakestAreas(bundle, result, count = 3) {
  const scored = bundle.instrument.dimensions
    .map((d, k) => ({ d, k, score: result.dimensions[d.id]?.score ?? null }))
    .filter((x) => x.score !== null);
  scored.sort((a, b) => a.score - b.score || a.k - b.k);
  return scored.slice(0, count).map(({ d, score }) => {
    const ids = [...new Set(descendants(d).flatMap((x) => x.modules ?? []))];
    return {
      id: d.id,
      title: d.title,
      score,
      modules: ids
        .filter((id) => Object.hasOwn(bundle.modules, id))
        .map((id) => ({ id, ...bundle.modules[id] })),
    };
  });
}

/** Index of the quantile `q` in the peers' list, or -1. */
export function quantileIndex(peers, q) {
  return peers.quantiles.findIndex((x) => Math.abs(x - q) < 1e-9);
}

/**
 * The peer groups a learner is compared with: `all`, the group of the learner's
 * portfolio (profile answer `portfolio`) and the excellence group (filtered on a label
 * level), those the bundle has, in that order.
 */
export function comparisonGroups(peers, profile) {
  if (!peers) return [];
  const groups = peers.groups;
  const all = groups.find((g) => Object.keys(g.filter ?? {}).length === 0);
  const portfolio =
    profile.portfolio !== undefined
      ? groups.find((g) => g.filter?.portfolio === profile.portfolio)
      : undefined;
  const excellence = groups.find((g) => g.filter?.label !== undefined);
  return [all, portfolio, excellence].filter((g) => g !== undefined);
}

/**
 * Where `score` sits among a group's quantiles of `measure`: the UI string id of the
 * band (`band_below`, `band_low`, `band_mid_low`, `band_mid_high`, `band_high`,
 * `band_above`, around the 10th, 25th, 50th, 75th and 90th percentiles), or null when the
 * score or the group's figures are missing.
 */
export function peerBand(peers, group, measure, score) {
  const qs = group.measures?.[measure];
  if (!qs || score === null || score === undefined) return null;
  const at = (q) => qs[quantileIndex(peers, q)];
  const cuts = [0.1, 0.25, 0.5, 0.75, 0.9].map(at);
  if (cuts.some((c) => c === undefined)) return null;
  const names = ["band_below", "band_low", "band_mid_low", "band_mid_high", "band_high"];
  const k = cuts.findIndex((c) => score < c);
  return k < 0 ? "band_above" : names[k];
}
