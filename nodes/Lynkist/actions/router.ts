/**
 * Runs the chosen operation for every input item — a bounded number at a time when the operation
 * asks for it — keeps output in input order with `pairedItem`, and turns a failed item into an
 * error item when the node is set to continue on fail.
 *
 * An operation with a `prepare` step gets every item checked first, in order, before anything
 * is sent: with On Error → Stop a bad item then stops the node before any customer is messaged.
 * When a send fails and the node stops, the items already in flight finish, and the error says
 * which items Lynkist had already accepted, so the user knows that a Retry will not repeat them.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { errorItem, forItem, itemRanges, type LynkistNodeError } from '../../shared/helpers/errors';
import { ItemParameters } from './itemParameters';
import * as contact from './contact';
import * as message from './message';
import * as template from './template';
import type { OperationModule, RunState, WholeRunOperation } from './types';

function runState(context: IExecuteFunctions): RunState {
	const cache = new Map<string, Promise<unknown>>();
	return {
		parameters: new ItemParameters(context),
		memo<T>(key: string, load: () => Promise<T>) {
			let found = cache.get(key) as Promise<T> | undefined;
			if (!found) {
				found = load();
				cache.set(key, found);
				found.catch(() => cache.delete(key));
			}
			return found;
		},
	};
}

const operations: Record<string, Record<string, OperationModule | WholeRunOperation>> = {
	message: { sendTemplate: message.sendTemplate, sendAndWait: message.sendAndWait },
	template: { create: template.create, submit: template.submit, get: template.get, getAll: template.getAll },
	contact: {
		create: contact.create,
		upsert: contact.upsert,
		get: contact.get,
		getAll: contact.getAll,
		update: contact.update,
		delete: contact.deleteContact,
	},
};

/** What the items done before a stop had achieved, added to the error that stops the node. */
function withProgress(
	error: LynkistNodeError,
	module: OperationModule,
	done: Array<{ itemIndex: number; json: IDataObject }>,
	total: number,
) {
	if (done.length === 0) return error;
	const summary = module.summarize?.(done, total) ?? {
		text: `Items ${itemRanges(done.map((d) => d.itemIndex))} (${done.length} of ${total}) had already succeeded when the node stopped.`,
		context: { succeeded: done.map((d) => d.itemIndex + 1) },
	};
	error.description = [error.description, summary.text].filter(Boolean).join(' ');
	error.context = { ...error.context, ...summary.context };
	return error;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = operations[resource]?.[operation];
	if (!module) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	if ('run' in module) return module.run.call(this, runState(this));
	const { concurrency, pauseMs } = module.batching?.call(this) ?? { concurrency: 1, pauseMs: 0 };
	const run = runState(this);
	const results: INodeExecutionData[][] = new Array(items.length);
	const prepared: unknown[] = new Array(items.length);
	const todo: number[] = [];
	let failure: LynkistNodeError | undefined;

	const fail = (caught: unknown, itemIndex: number) => {
		const error = forItem(
			caught instanceof NodeApiError || caught instanceof NodeOperationError
				? caught
				: new NodeOperationError(this.getNode(), caught as Error, { itemIndex }),
			itemIndex,
		);
		if (this.continueOnFail()) results[itemIndex] = [errorItem(error, itemIndex, this.getNode().onError === 'continueErrorOutput')];
		else failure ??= error;
	};

	for (let itemIndex = 0; itemIndex < items.length && !failure; itemIndex++) {
		if (!module.prepare) {
			todo.push(itemIndex);
			continue;
		}
		try {
			prepared[itemIndex] = await module.prepare.call(this, itemIndex, run);
			todo.push(itemIndex);
		} catch (caught) {
			fail(caught, itemIndex);
		}
	}
	if (failure) throw failure;

	const runItem = async (itemIndex: number) => {
		try {
			results[itemIndex] = await module.execute.call(this, itemIndex, run, prepared[itemIndex]);
		} catch (caught) {
			fail(caught, itemIndex);
		}
	};

	let next = 0;
	const worker = async (end: number) => {
		while (next < end && !failure) await runItem(todo[next++]);
	};
	const batch = pauseMs > 0 ? Math.max(1, concurrency) : todo.length;
	for (let start = 0; start < todo.length && !failure; start += batch) {
		const end = Math.min(todo.length, start + batch);
		await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), end - start) }, () => worker(end)));
		if (pauseMs > 0 && end < todo.length && !failure) await sleep(pauseMs);
	}
	await module.finish?.call(this, results.flat());
	if (failure) {
		const done = todo.filter((i) => results[i]).flatMap((i) => results[i].map((r) => ({ itemIndex: i, json: r.json })));
		throw withProgress(failure, module, done, items.length);
	}
	return [results.flat()];
}
