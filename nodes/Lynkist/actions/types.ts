/** What the router and the operations share; its own file, so operations never import the router. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemParameters } from './itemParameters';

/** What the items of one node run share: parameter reads, and data looked up once. */
export interface RunState {
	/**
	 * Parameter reads with fewer trips into n8n's expression sandbox (about 0.8 ms each in n8n
	 * 2.41). Send Template and the contact fields read through it: they are run over thousands of
	 * items with mapped fields. The template operations run over a few items and read with
	 * getNodeParameter, whose checks and messages they keep without a second code path.
	 */
	parameters: ItemParameters;
	/** The value under `key`, loaded once per run (a failed load is tried again next time). */
	memo<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface OperationModule<Prepared = unknown> {
	/** Optional first pass over every item, in order, before any item is executed. */
	prepare?(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<Prepared>;
	execute(this: IExecuteFunctions, itemIndex: number, run: RunState, prepared?: Prepared): Promise<INodeExecutionData[]>;
	/** How many items may be in flight at once, and the pause between batches (ms). */
	batching?(this: IExecuteFunctions): { concurrency: number; pauseMs: number };
	/** Called with every output item once all items are done (e.g. to add an execution hint). */
	finish?(this: IExecuteFunctions, output: INodeExecutionData[]): Promise<void>;
	/** Words (and error context) for what the items done before a stop achieved. */
	summarize?(done: Array<{ itemIndex: number; json: IDataObject }>, total: number): { text: string; context: IDataObject };
}

/** An operation that takes over the node's whole run (one item, then the execution waits). */
export interface WholeRunOperation {
	run(this: IExecuteFunctions, run: RunState): Promise<INodeExecutionData[][]>;
}
