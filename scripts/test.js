'use strict';
/** `npm test`: install and build when needed, then every jest suite (extra arguments go to jest). */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, bootstrap } = require('./bootstrap');

bootstrap();
const report = path.join(ROOT, '.e2e', 'jest-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const jest = spawnSync(
	process.execPath,
	[require.resolve('jest/bin/jest', { paths: [ROOT] }), '--json', `--outputFile=${report}`, ...process.argv.slice(2)],
	{ cwd: ROOT, stdio: 'inherit' },
);
if (fs.existsSync(report)) {
	const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(fs.readFileSync(report, 'utf8'));
	console.log(`${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
}
process.exit(jest.status ?? 1);
