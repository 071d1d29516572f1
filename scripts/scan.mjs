/**
 * `npm run scan`: n8n's community-package scanner, run here on what would be published, before
 * anything is published. The real scan (`npx @n8n/scan-community-package`) lints two things: the
 * source its npm provenance points at (nodes/, credentials/, package.json) and the tarball's
 * compiled .js and package.json. This runs the scanner's own ESLint configuration on both, with
 * inline `eslint-disable` comments ignored as the scanner ignores them, and fails on any error or
 * warning. It also checks that the tarball holds only what n8n loads, plus README and LICENSE.
 * It needs no network: the tarball is packed locally.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// The ESLint and glob the scanner itself runs with, not whatever version the project has.
const scannerDir = path.dirname(require.resolve('@n8n/scan-community-package/package.json'));
const fromScanner = createRequire(path.join(scannerDir, 'package.json'));
const { ESLint } = fromScanner('eslint');
const glob = fromScanner('fast-glob');

/** What n8n loads from the package (the compiled nodes, their codex and icons), and the two documents. */
const SHIPPED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/.+\.(js|node\.json|svg)$/];

function pack() {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-scan-'));
	const [{ filename, files, size }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	);
	const dir = path.join(out, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', path.join(out, filename), '-C', dir, '--strip-components=1']);
	return { out, dir, files: files.map((f) => f.path), size };
}

async function lint(cwd, patterns) {
	const eslint = new ESLint({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((n, r) => n + r.errorCount, 0);
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const details = errors + warnings ? (await eslint.loadFormatter('stylish')).format(results) : '';
	return { files: files.length, errors, warnings, details };
}

const tarball = pack();
try {
	const strays = tarball.files.filter((f) => !SHIPPED.some((re) => re.test(f)));
	const source = await lint(ROOT, SOURCE_FILE_PATTERNS);
	const dist = await lint(tarball.dir, ['**/*.js', 'package.json']);
	console.log(`tarball: ${tarball.files.length} files, ${(tarball.size / 1024).toFixed(1)} KB packed; not loaded by n8n: ${strays.length}`);
	for (const f of strays) console.log(`  ${f}`);
	for (const [name, r] of [
		['source (nodes/, credentials/, package.json)', source],
		['tarball (.js, package.json)', dist],
	]) {
		console.log(`scanner on the ${name}: ${r.files} files, ${r.errors} errors, ${r.warnings} warnings`);
		if (r.details) console.log(r.details);
	}
	process.exitCode = strays.length + source.errors + source.warnings + dist.errors + dist.warnings ? 1 : 0;
} finally {
	fs.rmSync(tarball.out, { recursive: true, force: true });
}
