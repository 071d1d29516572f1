/**
 * Runs the chosen operation for every input item — a bounded number at a time when the operation
 * asks for it — keeps output in input order with `pairedItem`, and turns a failed item into an
 * error item when the node is set to continue on fail.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { RateGate } from '../transport';
import { ItemParameters } from './itemParameters';
import * as message from './message';
import * as template from './template';

/** What the items of one node run share: the rate-limit gate, parameter reads, and data looked up once. */
export interface RunState {
	gate: RateGate;
	parameters: ItemParameters;
	/** The value under `key`, loaded once per run (a failed load is tried again next time). */
	memo<T>(key: string, load: () => Promise<T>): Promise<T>;
}

function runState(context: IExecuteFunctions): RunState {
	const cache = new Map<string, Promise<unknown>>();
	return {
		gate: new RateGate(),
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

export interface OperationModule {
	execute(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<INodeExecutionData[]>;
	/** How many items may be in flight at once, and the pause between batches (ms). */
	batching?(this: IExecuteFunctions): { concurrency: number; pauseMs: number };
}

const operations: Record<string, Record<string, OperationModule>> = {
	message: { sendTemplate: message.sendTemplate },
	template: { create: template.create, submit: template.submit, get: template.get, getAll: template.getAll },
};

function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const context = (error.context ?? {}) as IDataObject;
	return {
		json: {
			error: error.message,
			description: error.description ?? undefined,
			httpCode: (error as NodeApiError).httpCode ?? undefined,
			detail: context.detail,
			requestId: context.requestId,
		},
		pairedItem: { item: itemIndex },
	};
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = operations[resource]?.[operation];
	if (!module) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const { concurrency, pauseMs } = module.batching?.call(this) ?? { concurrency: 1, pauseMs: 0 };
	const run = runState(this);
	const results: INodeExecutionData[][] = new Array(items.length);
	let failure: NodeApiError | NodeOperationError | undefined;

	const runItem = async (itemIndex: number) => {
		try {
			results[itemIndex] = await module.execute.call(this, itemIndex, run);
		} catch (caught) {
			const error =
				caught instanceof NodeApiError || caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(this.getNode(), caught as Error, { itemIndex });
			if (this.continueOnFail()) results[itemIndex] = [errorItem(error, itemIndex)];
			else failure ??= error;
		}
	};

	let next = 0;
	const worker = async (end: number) => {
		while (next < end && !failure) await runItem(next++);
	};
	const batch = pauseMs > 0 ? Math.max(1, concurrency) : items.length;
	for (let start = 0; start < items.length && !failure; start += batch) {
		const end = Math.min(items.length, start + batch);
		await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), end - start) }, () => worker(end)));
		if (pauseMs > 0 && end < items.length && !failure) await sleep(pauseMs);
	}
	if (failure) throw failure;
	return [results.flat()];
}
