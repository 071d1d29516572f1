/**
 * What keeps the package's code easy to change safely: no import circle, no file a stranger has
 * to scroll through, one definition of each shared check, and each node in its own folder with
 * what both use in nodes/shared.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const MAX_LINES = 260;

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
	});
}

const files = [...sources(join(ROOT, 'nodes')), ...sources(join(ROOT, 'credentials'))];
const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const name = (f: string) => relative(ROOT, f);

/** The package files a file imports (relative imports, type-only ones included). */
function imports(file: string): string[] {
	return [...text.get(file)!.matchAll(/from '(\.[^']+)'/g)]
		.map(([, spec]) => resolve(dirname(file), spec))
		.map((base) => [`${base}.ts`, join(base, 'index.ts')].find((f) => text.has(f)))
		.filter((f): f is string => f !== undefined);
}

it('has no import circle', () => {
	const cycles: string[] = [];
	const done = new Set<string>();
	const visit = (file: string, path: string[]) => {
		if (path.includes(file)) return void cycles.push([...path.slice(path.indexOf(file)), file].map(name).join(' → '));
		if (done.has(file)) return;
		for (const next of imports(file)) visit(next, [...path, file]);
		done.add(file);
	};
	files.forEach((f) => visit(f, []));
	expect(cycles).toEqual([]);
});

it(`has no file over ${MAX_LINES} lines`, () => {
	const long = files.map((f) => [name(f), text.get(f)!.split('\n').length] as const).filter(([, n]) => n > MAX_LINES);
	expect(long).toEqual([]);
});

it.each([
	['isRecord', /function isRecord\b|const isRecord\b/],
	['the E.164 pattern', /\[1-9\]\\d\{7,14\}/],
	['the template language pattern', /\[A-Za-z_\]\{2,10\}/],
])('defines %s once', (_, pattern) => {
	expect(files.filter((f) => pattern.test(text.get(f)!)).map(name)).toHaveLength(1);
});

const folder = (f: string) => name(f).split('/').slice(0, 2).join('/');

it.each([
	['nodes/Lynkist', ['nodes/LynkistTrigger']],
	['nodes/LynkistTrigger', ['nodes/Lynkist']],
	['nodes/shared', ['nodes/Lynkist', 'nodes/LynkistTrigger']],
])('%s imports nothing from %j', (from, forbidden) => {
	const crossing = files
		.filter((f) => folder(f) === from)
		.flatMap((f) => imports(f).map((target) => [name(f), name(target)] as const))
		.filter(([, target]) => forbidden.includes(folder(target)));
	expect(crossing).toEqual([]);
});
