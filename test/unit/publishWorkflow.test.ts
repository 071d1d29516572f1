/**
 * The publish workflow cannot run here (it runs on GitHub), so its file is read as GitHub reads
 * it: a YAML parser, then the facts a verified n8n package depends on.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../..');
const workflow = parse(readFileSync(resolve(ROOT, '.github/workflows/publish.yml'), 'utf8'));
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const job = workflow.jobs.publish;
const runs: string[] = job.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run);
const stepIndex = (re: RegExp) => job.steps.findIndex((s: { run?: string; uses?: string }) => re.test(s.run ?? s.uses ?? ''));

it('publishes on a version tag only', () => {
	expect(Object.keys(workflow.on)).toEqual(['push']);
	expect(workflow.on.push.tags).toEqual(['v*.*.*']);
	expect(workflow.on.push.branches).toBeUndefined();
});

it('publishes with npm provenance, which needs an OIDC token and nothing else written', () => {
	expect(runs).toContain('npm publish --provenance --access public');
	expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
	expect(workflow.permissions).toEqual({ contents: 'read' });
	expect(job.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({
		'registry-url': 'https://registry.npmjs.org',
	});
});

it('publishes only after the build, tests, lint and scan pass, with the tag matching package.json', () => {
	const ci = readFileSync(resolve(ROOT, '.ci/run'), 'utf8');
	for (const command of ['npm test', 'npm run lint', 'npm run scan']) expect(ci).toMatch(new RegExp(`^${command}$`, 'm'));
	expect(pkg.scripts.scan).toMatch(/build/);
	const publish = stepIndex(/^npm publish/);
	expect(stepIndex(/^bash \.ci\/run$/)).toBeGreaterThan(stepIndex(/^actions\/checkout/));
	expect(stepIndex(/^bash \.ci\/run$/)).toBeLessThan(publish);
	expect(stepIndex(/GITHUB_REF_NAME.*package\.json/)).toBeLessThan(publish);
});

it('runs on a Node that n8n and the package support, within a bounded time', () => {
	const node = job.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/setup-node')).with['node-version'];
	expect(Number(node)).toBeGreaterThanOrEqual(24);
	expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
});

it('package.json names the repository provenance points at, with a homepage and an issue tracker', () => {
	expect(pkg.repository).toEqual({
		type: 'git',
		url: expect.stringMatching(/^git\+https:\/\/github\.com\/[^/]+\/n8n-nodes-lynkist\.git$/),
	});
	const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
	expect(pkg.homepage).toBe(`${repo}#readme`);
	expect(pkg.bugs).toEqual({ url: `${repo}/issues` });
});

it('the changelog has a section for the version in package.json, and starts at 0.1.0', () => {
	const changelog = readFileSync(resolve(ROOT, 'CHANGELOG.md'), 'utf8');
	const versions = [...changelog.matchAll(/^## \[?(\d+\.\d+\.\d+)\]?/gm)].map((m) => m[1]);
	expect(versions[0]).toBe(pkg.version);
	expect(versions.at(-1)).toBe('0.1.0');
});
