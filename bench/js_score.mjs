// Times the player's in-browser scoring for one learner: node bench/js_score.mjs IN.json
// IN: {"bundle": {...}, "answers": [{...}, ...], "rounds": n}. Prints one JSON line:
// per learner, the best round's mean time of `scoreLocally` (evaluator + result JSON,
// what a host's `score` costs) and of `evaluate` alone, in milliseconds.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

import { evaluate } from "../player/static/js/evaluator.js";
import { scoreLocally } from "../player/static/js/local.js";

const { bundle, answers, rounds } = JSON.parse(readFileSync(process.argv[2], "utf8"));

function best(fn) {
  for (const a of answers) fn(a); // warm-up: the JIT compiles before the clock runs
  let fastest = Infinity;
  for (let r = 0; r < rounds; r += 1) {
    const t0 = performance.now();
    for (const a of answers) fn(a);
    fastest = Math.min(fastest, (performance.now() - t0) / answers.length);
  }
  return fastest;
}

const scoreMs = best((a) => scoreLocally(bundle, a));
const evaluateMs = best((a) => evaluate(bundle.keys.spec, a));
process.stdout.write(`${JSON.stringify({ js_score_ms: scoreMs, js_evaluate_ms: evaluateMs })}\n`);
