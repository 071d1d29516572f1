/**
 * The README stays a front door read in two minutes, and every link in it, in the reference
 * pages and in the nodes' documentation links leads somewhere that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const REPOSITORY = 'https://github.com/lynkist/n8n-nodes-lynkist/blob/main/';
const pages = [
	'README.md',
	...readdirSync(join(ROOT, 'docs'))
		.filter((f) => f.endsWith('.md'))
		.map((f) => `docs/${f}`),
];
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** A heading's anchor as GitHub makes it. */
const slug = (heading: string) =>
	heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
const anchors = (file: string) => [...read(file).matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading));

/** Where a link in `page` leads: the file (from the root) and its anchor, or undefined for other sites. */
function target(page: string, link: string): { file: string; anchor?: string } | undefined {
	if (/^[a-z]+:/.test(link) && !link.startsWith(REPOSITORY)) return undefined;
	const [path, anchor] = link.startsWith(REPOSITORY) ? link.slice(REPOSITORY.length).split('#') : link.split('#');
	const file = link.startsWith(REPOSITORY) ? path : path === '' ? page : relative(ROOT, resolve(ROOT, dirname(page), path));
	return { file, anchor };
}

it('the README has at most 200 lines', () => {
	expect(read('README.md').split('\n').length).toBeLessThanOrEqual(200);
});

it.each(pages)('every link in %s leads to a file that exists, and to a heading it has', (page) => {
	const broken = [...read(page).matchAll(/\]\(([^)\s]+)\)/g)]
		.map(([, link]) => [link, target(page, link)] as const)
		.filter(
			([, to]) =>
				to && (!existsSync(join(ROOT, to.file)) || (to.anchor && to.file.endsWith('.md') && !anchors(to.file).includes(to.anchor))),
		)
		.map(([link]) => link);
	expect(broken).toEqual([]);
});

it('every reference page is linked from the README or the reference index', () => {
	const linked = [...read('README.md').matchAll(/\]\((docs\/[^)#]+)/g), ...read('docs/README.md').matchAll(/\]\(([^)#./][^)#]*\.md)/g)].map(
		([, link]) => (link.startsWith('docs/') ? link : `docs/${link}`),
	);
	expect(pages.filter((p) => p.startsWith('docs/') && p !== 'docs/README.md' && !linked.includes(p))).toEqual([]);
});

it("the nodes' documentation links lead to reference pages that exist", () => {
	const codex = ['nodes/Lynkist/Lynkist.node.json', 'nodes/LynkistTrigger/LynkistTrigger.node.json'];
	const links = codex.flatMap((file) =>
		(JSON.parse(read(file)).resources.primaryDocumentation as Array<{ url: string }>).map((d) => d.url),
	);
	expect(links.every((link) => link.startsWith(`${REPOSITORY}docs/`))).toBe(true);
	expect(links.filter((link) => !existsSync(join(ROOT, target('README.md', link)!.file)))).toEqual([]);
});

it('benchmark figures live in bench/README.md only: the README and the reference pages link to them', () => {
	const figures = pages.filter((page) => /\d(\.\d+)?×/.test(read(page)));
	expect(figures).toEqual([]);
	expect(read('README.md')).toContain('](bench/README.md)');
});
