/**
 * `npm run screenshots`, as the README's images are made: it writes every image the README shows
 * as a real PNG of the size the script gives it. What each one shows is the script's own check
 * (it fails when what a shot is for falls outside it) and the eye's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { SHOTS } from '../../scripts/screenshots';

const ROOT = resolve(__dirname, '../..');
const README_IMAGES = [
	'create-builder.png',
	'error.png',
	'nodes-panel.png',
	'run-output.png',
	'send-and-wait.png',
	'send-template.png',
	'trigger.png',
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dir: string;
let exitCode: number | null;
let output = '';

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'lynkist-screenshots-test-'));
	const { NODE_ENV, JEST_WORKER_ID, ...env } = process.env;
	const run = spawn('npm', ['run', 'screenshots'], {
		cwd: ROOT,
		env: { ...env, LYNKIST_SCREENSHOTS_DIR: dir },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	run.stdout.on('data', (chunk) => (output += chunk));
	run.stderr.on('data', (chunk) => (output += chunk));
	exitCode = await new Promise((done) => run.once('close', done));
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs to the end and writes the images the README shows, nothing else', () => {
	expect({ exitCode, output }).toMatchObject({ exitCode: 0 });
	expect(readdirSync(dir).sort()).toEqual(README_IMAGES);
});

it.each(README_IMAGES)('writes %s as a PNG of the size the script gives it', (file) => {
	const { width, height } = SHOTS.find((shot) => shot.file === file)!;
	const png = readFileSync(join(dir, file));
	expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
	// the first chunk is the 13-byte IHDR: width and height, 4 bytes each, big-endian
	expect({ length: png.readUInt32BE(8), type: png.toString('latin1', 12, 16) }).toEqual({ length: 13, type: 'IHDR' });
	expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width, height });
});
