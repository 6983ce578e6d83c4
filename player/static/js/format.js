// Text helpers of the player: UI strings from the bundle, numbers in the learner's
// language, and the reading of typed numbers. No DOM here (tested in node).

/**
 * A function `t(key, args)` giving the bundle's UI string `key` with its `{name}`
 * placeholders filled from `args` (plain text). An unknown key gives the key itself, so
 * a missing string shows instead of breaking the screen (a test keeps every key used by
 * the app in both languages).
 */
export function translator(ui) {
  return (key, args = {}) => {
    const text = Object.hasOwn(ui, key) ? ui[key] : key;
    return text.replace(/\{([a-z0-9_]+)\}/g, (whole, name) =>
      Object.hasOwn(args, name) ? String(args[name]) : whole,
    );
  };
}

/**
 * Number formatters in `lang`: percent (whole), decimal (up to two places). Each
 * `Intl.NumberFormat` is made on first use (making one costs milliseconds).
 */
export function numberFormats(lang) {
  const made = {};
  const format = (kind, options, x) => {
    if (x === null || x === undefined || Number.isNaN(x)) return "–";
    made[kind] ??= new Intl.NumberFormat(lang, options);
    return made[kind].format(x);
  };
  return {
    /** A share in [0, 1] as a whole percentage, or the dash for a missing value. */
    percent: (x) => format("percent", { style: "percent", maximumFractionDigits: 0 }, x),
    /** A number with at most two decimals. */
    number: (x) => format("decimal", { maximumFractionDigits: 2 }, x),
  };
}

/**
 * Read a typed number: spaces (thousands separators) are ignored; a comma is the
 * decimal mark, except in English where commas between groups of three digits separate
 * thousands (`1,234` is 1234 in English, 1.234 in French); no exponent (what people
 * type, and never longer in the learner state than the text typed). Returns {value} or
 * {error, args} with `error` a UI string id (`number_invalid`, `number_integer`,
 * `number_min`, `number_max`).
 */
export function parseNumber(text, { min = null, max = null, integer = false, lang = "en" } = {}) {
  let s = String(text).replace(/[\s\u00a0\u202f]/g, "");
  if (lang === "en" && /^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replaceAll(",", "");
  else if (!s.includes(".") && (s.match(/,/g) ?? []).length === 1) s = s.replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return { error: "number_invalid" };
  const value = Number(s);
  if (!Number.isFinite(value)) return { error: "number_invalid" };
  if (integer && !Number.isInteger(value)) return { error: "number_integer" };
  if (min !== null && min !== undefined && value < min) {
    return { error: "number_min", args: { min } };
  }
  if (max !== null && max !== undefined && value > max) {
    return { error: "number_max", args: { max } };
  }
  return { value: Object.is(value, -0) ? 0 : value };
}
