// Path-dependent texts of case studies: the rules of courses/pathtext.py (variant_index,
// condition_holds), on the bundle's form of them (docs/player.md, "path text").

/** Whether every part of `condition` holds on `path` ([[point, option], ...]). */
export function conditionHolds(condition, path) {
  const chosen = new Map(path);
  const chose = condition.chose ?? {};
  return (
    Object.entries(chose).every(([point, options]) => options.includes(chosen.get(point))) &&
    (condition.visited ?? []).every((point) => chosen.has(point)) &&
    !(condition.not_visited ?? []).some((point) => chosen.has(point))
  );
}

/** The HTML of the first variant whose `when` holds after `path`; `null` for no text. */
export function textFor(variants, path) {
  if (variants === null || variants === undefined) return null;
  for (const variant of variants) {
    if (variant.when === null || variant.when.some((c) => conditionHolds(c, path))) {
      return variant.html;
    }
  }
  return variants[variants.length - 1].html;
}
