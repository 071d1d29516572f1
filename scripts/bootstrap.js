'use strict';
/**
 * What `npm test` and `npm run dev` do first, so that both work on a fresh clone with nothing but
 * Node and npm: install the dev dependencies when they are missing or stale, then build.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function npm(args) {
	execFileSync('npm', args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

function depsAreCurrent() {
	const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
	const lock = path.join(ROOT, 'package-lock.json');
	return fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
}

function bootstrap() {
	if (!depsAreCurrent()) npm(['ci', '--no-audit', '--no-fund', '--loglevel=error']);
	npm(['run', '--silent', 'build']);
}

module.exports = { ROOT, bootstrap };
