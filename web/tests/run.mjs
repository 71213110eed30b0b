// Runs the dashboard tests: the unit checks, then the browser tests, every one against the real
// `build/yuqing serve` (skipped, saying why, when it cannot run; there is no mock API): the user
// journey, feed/alerts/roles/phone, crisis response, the analysis views with the first login,
// 设置, 数据源, 词典, 报告, the overview as a wall (map, word cloud, 环比, 大屏), 演练 (the drill band), and the OpenAPI contract (every JSON
// answer of a session validated with ajv against the served document).
//   node web/tests/run.mjs               all
//   node web/tests/run.mjs --unit        unit checks only
//   node web/tests/run.mjs --e2e         browser and contract tests only
//   node web/tests/run.mjs --suite wall  one suite (journey, ui, incident, analysis, settings, sources, dict, reports, wall, contract, drill)
// Screenshots: test-artifacts/dashboard/*.png
import { runUnit } from './unit.mjs';
import { runUi } from './ui.mjs';
import { runE2e } from './e2e.mjs';
import { runIncidentE2e } from './incident_e2e.mjs';
import { runAnalysisE2e } from './analysis_e2e.mjs';
import { runSettingsE2e } from './settings_e2e.mjs';
import { runSourcesE2e } from './sources_e2e.mjs';
import { runDictE2e } from './dict_e2e.mjs';
import { runReportE2e } from './report_e2e.mjs';
import { runWallE2e } from './wall_e2e.mjs';
import { runContractE2e } from './contract_e2e.mjs';
import { runDrillE2e } from './drill_e2e.mjs';
import { ARTIFACTS } from './lib.mjs';

const argv = process.argv.slice(2);
const only = argv.includes('--unit') ? 'unit' : argv.includes('--e2e') ? 'e2e' : 'all';
const suite = argv.includes('--suite') ? argv[argv.indexOf('--suite') + 1] : null;
const E2E = {
  journey: runE2e, ui: runUi, incident: runIncidentE2e, analysis: runAnalysisE2e, settings: runSettingsE2e,
  sources: runSourcesE2e, dict: runDictE2e, reports: runReportE2e, wall: runWallE2e, contract: runContractE2e, drill: runDrillE2e,
};
let ok = true;
if (suite) {
  if (!E2E[suite]) { console.error(`no suite ${suite}: ${Object.keys(E2E).join(', ')}`); process.exit(2); }
  ok = await E2E[suite]();
} else {
  if (only !== 'e2e') ok = (await runUnit()) && ok;
  if (only !== 'unit') for (const run of Object.values(E2E)) ok = (await run()) && ok;
}
console.log(`\n${ok ? 'PASS' : 'FAIL'} — screenshots in ${ARTIFACTS}`);
process.exit(ok ? 0 : 1);
