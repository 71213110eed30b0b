// Runs the dashboard tests: unit checks, browser tests against the mock API, and the end-to-end
// browser tests against the real `build/yuqing serve` (skipped, saying why, when it cannot run):
// the user journey, crisis response, the analysis views with the first login, 设置 and 数据源.
//   node web/tests/run.mjs            all three
//   node web/tests/run.mjs --mock     unit + mock only
//   node web/tests/run.mjs --e2e      end-to-end only
//   node web/tests/run.mjs --reports  the 报告 test only
// Screenshots: test-artifacts/dashboard/*.png
import { runUnit } from './unit.mjs';
import { runUi } from './ui.mjs';
import { runE2e } from './e2e.mjs';
import { runIncidentE2e } from './incident_e2e.mjs';
import { runAnalysisE2e } from './analysis_e2e.mjs';
import { runSettingsE2e } from './settings_e2e.mjs';
import { runSourcesE2e } from './sources_e2e.mjs';
import { runReportE2e } from './report_e2e.mjs';
import { ARTIFACTS } from './lib.mjs';

const args = new Set(process.argv.slice(2));
if (args.has('--reports')) process.exit((await runReportE2e()) ? 0 : 1);
const only = args.has('--mock') ? 'mock' : args.has('--e2e') ? 'e2e' : 'all';
let ok = true;
if (only !== 'e2e') {
  ok = (await runUnit()) && ok;
  ok = (await runUi()) && ok;
}
if (only !== 'mock') ok = (await runE2e()) && ok;
if (only !== 'mock') ok = (await runIncidentE2e()) && ok;
if (only !== 'mock') ok = (await runAnalysisE2e()) && ok;
if (only !== 'mock') ok = (await runSettingsE2e()) && ok;
if (only !== 'mock') ok = (await runSourcesE2e()) && ok;
if (only !== 'mock') ok = (await runReportE2e()) && ok;
console.log(`\n${ok ? 'PASS' : 'FAIL'} — screenshots in ${ARTIFACTS}`);
process.exit(ok ? 0 : 1);
