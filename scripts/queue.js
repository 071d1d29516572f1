'use strict';
/**
 * n8n in queue mode on this machine, as a self-hoster runs it once one instance is not enough:
 * PostgreSQL holds workflows and executions, Redis queues executions for `n8n worker` processes,
 * `n8n webhook` processes take production webhook calls behind a round-robin balancer, and one
 * `n8n start` main serves the editor and registers triggers. Every n8n process has the package
 * installed in its own user folder. Postgres and Redis run on free ports in a temporary folder
 * and are stopped with everything else. Used by `npm run dev -- --queue` and the queue-mode tests.
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { N8n, freePort } = require('./n8n');

/** Where Debian keeps PostgreSQL's server programs (`initdb`, `pg_ctl`), newest version first. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	const found = versions.map((v) => path.join(root, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')));
	if (!found) throw new Error('PostgreSQL server programs not found under /usr/lib/postgresql: apt-get install postgresql');
	return found;
}

function redisBin() {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin', '/usr/sbin')) {
		if (fs.existsSync(path.join(dir, 'redis-server'))) return path.join(dir, 'redis-server');
	}
	throw new Error('redis-server not found: apt-get install redis-server');
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
function asPostgresUser(program, args, options = {}) {
	const root = process.getuid?.() === 0;
	return root ? ['runuser', ['-u', 'postgres', '--', program, ...args], options] : [program, args, options];
}

/**
 * A throw-away PostgreSQL cluster with an `n8n` superuser (trust auth, loopback only) and an `n8n`
 * database, in a folder of its own under the system's temporary folder (which the `postgres` user
 * can reach whatever folder the caller works in), removed on stop.
 */
async function startPostgres() {
	const bin = postgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-postgres-'));
	const data = path.join(dir, 'data');
	if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', dir]);
	const port = await freePort();
	const run = (program, args) => execFileSync(...asPostgresUser(path.join(bin, program), args, { stdio: 'pipe' }));
	run('initdb', ['-D', data, '-A', 'trust', '-U', 'n8n', '--no-sync']);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
	run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'postgres.log'), '-w', 'start']);
	run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n']);
	return {
		port,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: 'n8n',
		},
		stop: () => {
			try {
				run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			} catch {
				// already stopped
			}
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A Redis with no persistence, on a free loopback port. */
async function startRedis(dir) {
	const port = await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const child = spawn(redisBin(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`redis-server did not start\n${log}`)), 20_000);
		child.stdout.on('data', (chunk) => {
			log += chunk;
			if (log.includes('Ready to accept connections')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.once('exit', (code) => reject(new Error(`redis-server exited (${code})\n${log}`)));
	});
	return {
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', resolve);
				child.kill('SIGTERM');
			}),
	};
}

/**
 * The load balancer a self-hoster puts in front of the webhook processors: each request goes to
 * the next one in turn. `counts[i]` is how many requests processor i was given.
 */
async function startBalancer(targets) {
	let next = 0;
	const counts = targets.map(() => 0);
	const server = http.createServer((req, res) => {
		const index = next++ % targets.length;
		counts[index] += 1;
		const target = new URL(req.url, targets[index]());
		const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', (error) => {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`webhook processor ${index + 1} unreachable: ${error.message}`);
		});
		req.pipe(upstream);
	});
	const port = await freePort();
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${port}`, counts, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * Starts the whole queue-mode installation.
 * @param {{ runtime: { nodeBin: string, n8nBin: string }, nodesDir: string, dir?: string, workers?: number,
 *   webhookProcessors?: number, mainPort?: number, credentials?: object[], workflows?: object[], publish?: string[] }} options
 *   `nodesDir` is the installed package (a `.n8n/nodes` folder); `credentials` and `workflows` are
 *   imported and `publish` ids published before n8n starts.
 */
async function startQueue({
	runtime,
	nodesDir,
	dir,
	workers = 2,
	webhookProcessors = 1,
	mainPort,
	credentials = [],
	workflows = [],
	publish = [],
}) {
	const root = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-queue-'));
	fs.rmSync(root, { recursive: true, force: true });
	fs.mkdirSync(root, { recursive: true });
	const processes = [];
	let postgres;
	let redis;
	let balancer;
	const stop = async () => {
		await Promise.all(processes.map((p) => p.stop()));
		await balancer?.close();
		await redis?.stop();
		postgres?.stop();
		if (!dir) fs.rmSync(root, { recursive: true, force: true });
	};
	try {
		[postgres, redis] = await Promise.all([startPostgres(), startRedis(path.join(root, 'redis'))]);
		const webhooks = [];
		balancer = await startBalancer(Array.from({ length: webhookProcessors }, (_, i) => () => webhooks[i].url));
		const env = {
			...postgres.env,
			...redis.env,
			EXECUTIONS_MODE: 'queue',
			// What n8n 3 makes the only way: executions started from the editor run on the workers too.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		};
		const create = (name) => {
			const n8n = N8n.create(runtime, nodesDir, { folder: path.join(root, name), env });
			processes.push(n8n);
			return n8n;
		};
		const main = create('main');
		if (credentials.length) await main.importCredentials(credentials);
		if (workflows.length) await main.importWorkflows(workflows);
		if (publish.length) await main.publish(publish);
		const others = [
			...Array.from({ length: workers }, (_, i) => ({ n8n: create(`worker-${i + 1}`), role: 'worker' })),
			...Array.from({ length: webhookProcessors }, (_, i) => ({ n8n: create(`webhook-${i + 1}`), role: 'webhook' })),
		];
		for (const other of others) if (other.role === 'webhook') webhooks.push(other.n8n);
		const startOne = async (n8n, role, port) => {
			const healthPort = String(await freePort());
			await n8n.start({ role, port, env: { WEBHOOK_URL: `${balancer.url}/`, QUEUE_HEALTH_CHECK_PORT: healthPort } });
		};
		await Promise.all([startOne(main, 'main', mainPort), ...others.map((o) => startOne(o.n8n, o.role))]);
		return {
			main,
			workers: others.filter((o) => o.role === 'worker').map((o) => o.n8n),
			webhooks,
			webhookUrl: balancer.url,
			balancer,
			postgres,
			redis,
			stop,
			/** Starts again every worker that was stopped or killed. */
			async restartWorkers() {
				await Promise.all(this.workers.filter((w) => !w.server).map((w) => startOne(w, 'worker')));
			},
			/** The worker (1-based) whose log says it ran the execution, or 0 (a restarted worker's log starts afresh). */
			workerOf(executionId) {
				return this.workers.findIndex((w) => w.log.includes(`Worker started execution ${executionId} (`)) + 1;
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startQueue, startPostgres, startRedis };
