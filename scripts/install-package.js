'use strict';
/**
 * Installs this package into an n8n `nodes` folder the way users get it: `npm pack` the built
 * package, then `npm install` the tarball there (what n8n's Community Nodes installer does).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function installPackage(root, nodesDir) {
	fs.rmSync(nodesDir, { recursive: true, force: true });
	fs.mkdirSync(nodesDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', nodesDir], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const tarball = path.join(nodesDir, JSON.parse(out)[0].filename);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
	);
	execFileSync('npm', ['install', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
		cwd: nodesDir,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	fs.rmSync(tarball);
	const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [name]: version } }, null, 2),
	);
	return nodesDir;
}

module.exports = { installPackage };
