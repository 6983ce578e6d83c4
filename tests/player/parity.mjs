// Evaluate answer sets with the player's evaluator: node parity.mjs IN.json OUT.json
// IN: {"spec": {...}, "answers": [{...}, ...]}; OUT: one result per answer set.
import { readFileSync, writeFileSync } from "node:fs";
import { evaluate } from "../../player/static/js/evaluator.js";

const [input, output] = process.argv.slice(2);
const { spec, answers } = JSON.parse(readFileSync(input, "utf8"));
writeFileSync(output, JSON.stringify(answers.map((a) => evaluate(spec, a))));
