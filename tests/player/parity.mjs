// Evaluate answer sets with the player's JavaScript: node parity.mjs IN.json OUT.json
// IN: {"spec": {...}, "answers": [{...}, ...], "about": {...}?}; OUT: one result per
// answer set: the evaluator's output, or with "about" (a bundle's instrument.label, or
// null) the result JSON of result.js.
import { readFileSync, writeFileSync } from "node:fs";
import { evaluate } from "../../player/static/js/evaluator.js";
import { resultJson } from "../../player/static/js/result.js";

const [input, output] = process.argv.slice(2);
const job = JSON.parse(readFileSync(input, "utf8"));
const run = "about" in job ? (a) => resultJson(job.spec, a, job.about) : (a) => evaluate(job.spec, a);
writeFileSync(output, JSON.stringify(job.answers.map(run)));
