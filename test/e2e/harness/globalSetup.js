'use strict';
/**
 * Once per `jest` run: make sure the pinned n8n and a Node it runs on are there, pack the built
 * package and install the tarball into a template `~/.n8n/nodes` folder exactly as n8n's
 * community-node installer would. Each suite copies that folder into its own N8N_USER_FOLDER.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8n, ensureNode } = require('../../../scripts/runtime');
const { installPackage } = require('../../../scripts/install-package');

const ROOT = path.resolve(__dirname, '../../..');
const WORK = path.join(ROOT, '.e2e');

module.exports = async function globalSetup() {
	const node = ensureNode();
	const n8n = ensureN8n(node);
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes'))) {
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	}
	const nodesTemplate = path.join(WORK, 'nodes');
	installPackage(ROOT, nodesTemplate);
	fs.writeFileSync(
		path.join(WORK, 'runtime.json'),
		JSON.stringify({ nodeBin: node.bin, nodedir: node.nodedir, n8nBin: n8n.bin, nodesTemplate }, null, 2),
	);
};
