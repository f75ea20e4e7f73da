// Score a running site with the MDN HTTP Observatory's own tests and grader (npm @mdn/mdn-http-observatory).
// Usage: node bench/observatory_score.mjs HOST HTTP_PORT HTTPS_PORT  (the package's CLI only scans ports 80/443)
// Prints one JSON object: the score, the grade and each test's result and modifier.
import { retrieve } from "@mdn/mdn-http-observatory/src/retriever/retriever.js";
import { ALL_TESTS } from "@mdn/mdn-http-observatory/src/constants.js";
import { getGradeForScore, getScoreModifier } from "@mdn/mdn-http-observatory/src/grader/grader.js";
import { MINIMUM_SCORE_FOR_EXTRA_CREDIT } from "@mdn/mdn-http-observatory/src/grader/charts.js";

const [host, httpPort, httpsPort] = process.argv.slice(2);
const requests = await retrieve(host, { httpPort, httpsPort });
if (!requests.responses.auto) {
  console.log(JSON.stringify({ error: "the site did not answer" }));
  process.exit(1);
}
let withBonuses = 100;
let penaltiesOnly = 100;
const tests = {};
for (const test of ALL_TESTS) {
  const output = test(requests);
  const modifier = getScoreModifier(output.result);
  withBonuses += modifier;
  if (modifier < 0) penaltiesOnly += modifier;
  tests[output.constructor.name] = { result: output.result, modifier };
}
// As the Observatory does: bonuses count only when the score without them is an A already.
const score = penaltiesOnly >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withBonuses : penaltiesOnly;
console.log(JSON.stringify({ score, grade: getGradeForScore(score).grade, tests }));
