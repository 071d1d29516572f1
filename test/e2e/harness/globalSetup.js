'use strict';
/**
 * Once per `jest` run: make sure the pinned n8n, the oldest one the package supports and a Node they run on are there, pack the built
 * package and install the tarball into a template `~/.n8n/nodes` folder exactly as n8n's
 * community-node installer would. Each suite copies that folder into its own N8N_USER_FOLDER.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8n, ensureNode, N8N_OLDEST } = require('../../../scripts/runtime');
const { installPackage } = require('../../../scripts/install-package');

const ROOT = path.resolve(__dirname, '../../..');
const WORK = path.join(ROOT, '.e2e');

module.exports = async function globalSetup() {
	const node = ensureNode();
	const n8n = ensureN8n(node);
	// the oldest n8n the package supports, for the compatibility suite
	const oldest = ensureN8n(node, N8N_OLDEST);
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	}
	const nodesTemplate = path.join(WORK, 'nodes');
	installPackage(ROOT, nodesTemplate);
	fs.writeFileSync(
		path.join(WORK, 'runtime.json'),
		JSON.stringify({ nodeBin: node.bin, nodedir: node.nodedir, n8nBin: n8n.bin, oldestN8nBin: oldest.bin, nodesTemplate }, null, 2),
	);
};
