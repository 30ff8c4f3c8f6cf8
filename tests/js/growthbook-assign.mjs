// Experiment assignment by GrowthBook's own JS SDK and by our runtime, for the differential test
// tests/core/test_growthbook_agreement.py (issue 17, item 8). Reads {guides, context, users} as JSON on
// stdin and prints, per guide, [sdk, runtime] variation indexes per user (-1: not in the experiment).
//
// The SDK is given the bundle's experiment object as it is, the way a product or an analytics job
// would pass it (`gb.run(experiment)`): no field added or renamed. Our runtime decides the guide with
// its audience, schedule and caps out of the way, so only the assignment speaks.
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);
const {GrowthBook} = require('../../tools/js/node_modules/@growthbook/growthbook');
const GS = require('../../guidestudio/resources/runtime/guide-runtime.js');

let input = '';
for await (const chunk of process.stdin) input += chunk;
const {guides, context, users} = JSON.parse(input);

const NOW = Date.parse('2026-11-24T12:00:00Z');
const out = guides.map((guide) => {
  const experiment = guide.experiment, bare = {...guide, audience: {condition: {}}, schedule: {}, frequency: {stop_after: []}};
  return users.map((user) => {
    const result = new GrowthBook({attributes: user}).run(experiment);
    const sdk = result.inExperiment ? result.variationId : -1;
    const decision = GS._internal.decide(bare, user, NOW, {}, context);
    const ours = decision.reason === 'control' ? 0 : decision.eligible ? experiment.variations.indexOf(decision.variant) : -1;
    return [sdk, ours];
  });
});
process.stdout.write(JSON.stringify(out));
