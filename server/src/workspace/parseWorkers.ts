import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Analyzer, FileResult } from '../engine/analyzer';
import { parseScript } from '../engine/js/parseScript';
import type { WalkedFile } from './fileWalker';
import { ScanRecorder, scanFiles, walkedFileInput, type FileInputSources, type ScanOptions, type ScanOutcome } from './workspaceScan';
import { readSourceFile } from './readSourceFile';

/**
 * A whole-folder scan on several threads, split by kind of work: the main thread reads every
 * file once and does what needs no parse tree (secrets, the cheap hints, readiness keywords);
 * the few files that need one (handlers, route files: 34 of 4,247 on the benchmark corpus) go,
 * text and all, to parse workers that load TypeScript's parser while the main thread reads.
 * Splitting by file instead (every thread doing everything) was slower on 2 cores: each thread
 * paid the parser's load and warm-up, and the garbage collector already keeps a core busy.
 *
 * Each worker holds at most MAX_OUTSTANDING files, so that when the main thread has read
 * everything it can take the files still waiting (loading the parser itself). A worker that
 * dies hands its files back to the main thread. Which thread analyses a file changes nothing in
 * its result.
 */

/**
 * What the main thread sends a parse worker: a file to analyse (with its text), or, after the
 * scan, a deferred file whose route facts linking needs (`routeFactsOf`; the worker reads it).
 */
export type ParseRequest = { index: number; file: WalkedFile; text: string } | { factsOf: number; file: WalkedFile };

/** What a parse worker sends back, one per request. */
export type ParseReply =
  | { index: number; result: FileResult }
  | { index: number; failure: string }
  | { factsOf: number; facts: DeferredFacts };

/** A deferred file's route facts as Analyzer.routeFactsOf gives them; `unreadable` when it could not be read again. */
export type DeferredFacts = Pick<FileResult, 'routeFacts' | 'failures'> & { unreadable?: true };

/** After the scan, before the workers stop: reads deferred files' route facts on them (see scanWithParseWorkers). */
export type AfterScan = (outcome: ScanOutcome, routeFactsOf: (files: readonly WalkedFile[]) => Promise<DeferredFacts[]>) => Promise<void>;

/** What a parse worker needs besides its analyzer: where replies go and the counter it bumps after each. */
export interface ParseWorkerChannel {
  replies: MessagePort;
  /** Index 0 counts replies from all workers, so the main thread can wait for the next one. */
  repliesPosted: Int32Array;
}

const MAX_OUTSTANDING = 2;
/**
 * The main thread takes waiting files itself only when this much text waits: it has not loaded
 * the parser, and loading it and warming it up (~0.25 s) costs what parsing ~1 MB does.
 */
const TAKE_OVER_BYTES = 1024 * 1024;
/** How long the main thread waits for a reply before checking that its workers still live. */
const WAIT_SLICE_MS = 50;

interface ParseWorker {
  worker: Worker;
  /** Replies arrive here; read with receiveMessageOnPort, so the main thread need not yield. */
  replies: MessagePort;
  /** Files sent and not answered yet, by index. */
  outstanding: Set<number>;
  dead: boolean;
}

/**
 * Scans `files` on this thread with `workerCount` parse workers. `startWorker(channel)` starts
 * one (its script calls runParseWorker with the same analyzer options and the channel).
 */
export async function scanWithParseWorkers(
  files: readonly WalkedFile[],
  analyzer: Analyzer,
  workerCount: number,
  startWorker: (channel: ParseWorkerChannel) => Worker,
  options: Omit<ScanOptions, 'parseElsewhere' | 'takeNext'>,
  afterScan?: AfterScan,
): Promise<ScanOutcome> {
  const repliesPosted = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: workerCount }, () => start(startWorker, repliesPosted));
  const recorder = new ScanRecorder(options.readinessKeywords);
  const waiting: number[] = [];
  const texts = new Map<number, string>();

  const record = (index: number, reply: Exclude<ParseReply, { factsOf: number }>) => {
    // Each file is recorded once, whichever way it went (a file is only ever with one thread).
    if (!texts.has(index)) return;
    if ('result' in reply) recorder.record(files[index], texts.get(index)!, reply.result);
    else recorder.failed(files[index], new Error(reply.failure));
    texts.delete(index);
  };
  // Route-facts requests after the scan: by request number, the answer once it came.
  const factsRequests = new Map<number, { file: WalkedFile; worker: ParseWorker; answer?: DeferredFacts }>();
  const collect = () => {
    for (const parseWorker of workers) {
      for (let message = receiveMessageOnPort(parseWorker.replies); message; message = receiveMessageOnPort(parseWorker.replies)) {
        const reply = message.message as ParseReply;
        if ('factsOf' in reply) {
          const request = factsRequests.get(reply.factsOf);
          if (request) request.answer = reply.facts;
          continue;
        }
        parseWorker.outstanding.delete(reply.index);
        record(reply.index, reply);
      }
      if (parseWorker.dead && parseWorker.outstanding.size) {
        waiting.push(...parseWorker.outstanding);
        parseWorker.outstanding.clear();
      }
    }
  };
  /** Waits for a reply to be posted (or a slice to pass, so that a worker's death is noticed). */
  const nextReply = async (seen: number) => {
    await Atomics.waitAsync(repliesPosted, 0, seen, WAIT_SLICE_MS).value;
  };
  const routeFactsOf = async (batch: readonly WalkedFile[]): Promise<DeferredFacts[]> => {
    const ids: number[] = [];
    batch.forEach((file, position) => {
      const live = workers.filter((parseWorker) => !parseWorker.dead);
      const id = factsRequests.size;
      ids.push(id);
      if (live.length === 0) {
        factsRequests.set(id, { file, worker: workers[0], answer: deferredFactsHere(file, analyzer) });
        return;
      }
      const worker = live[position % live.length];
      factsRequests.set(id, { file, worker });
      worker.worker.postMessage({ factsOf: id, file } satisfies ParseRequest);
    });
    for (;;) {
      const seen = Atomics.load(repliesPosted, 0);
      collect();
      // A dead worker's requests are answered here.
      for (const id of ids) {
        const request = factsRequests.get(id)!;
        if (!request.answer && request.worker.dead) request.answer = deferredFactsHere(request.file, analyzer);
      }
      if (ids.every((id) => factsRequests.get(id)!.answer)) return ids.map((id) => factsRequests.get(id)!.answer!);
      await nextReply(seen);
    }
  };
  const feed = () => {
    collect();
    for (const parseWorker of workers) {
      while (!parseWorker.dead && parseWorker.outstanding.size < MAX_OUTSTANDING && waiting.length) {
        const index = waiting.shift()!;
        parseWorker.outstanding.add(index);
        parseWorker.worker.postMessage({ index, file: files[index], text: texts.get(index)! } satisfies ParseRequest);
      }
    }
  };
  const waitingBytes = () => waiting.reduce((sum, index) => sum + texts.get(index)!.length, 0);
  const analyseHere = (index: number) => {
    const file = files[index];
    const text = texts.get(index)!;
    try {
      recorder.record(file, text, analyzer.analyzeFile(walkedFileInput(file, text, options)));
    } catch (error) {
      recorder.failed(file, error as Error);
    }
    texts.delete(index);
  };

  try {
    scanFiles(files, analyzer, {
      ...options,
      onProgress: (done, total) => {
        options.onProgress?.(done, total);
        feed();
      },
      parseElsewhere: (index, text) => {
        texts.set(index, text);
        waiting.push(index);
        feed();
      },
    }, recorder);

    for (;;) {
      const seen = Atomics.load(repliesPosted, 0);
      feed();
      const alive = workers.some((parseWorker) => !parseWorker.dead);
      if (waiting.length && (!alive || waitingBytes() >= TAKE_OVER_BYTES)) {
        // Every live worker is full and much still waits, or every worker has died: this thread
        // takes the next file.
        analyseHere(waiting.shift()!);
      } else if (waiting.length || workers.some((parseWorker) => parseWorker.outstanding.size > 0)) {
        await nextReply(seen);
      } else {
        break;
      }
    }
    await afterScan?.(recorder.outcome, routeFactsOf);
  } finally {
    await Promise.all(workers.map((parseWorker) => parseWorker.worker.terminate()));
  }
  return recorder.outcome;
}

function start(startWorker: (channel: ParseWorkerChannel) => Worker, repliesPosted: Int32Array): ParseWorker {
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker({ replies: port2, repliesPosted });
  const parseWorker: ParseWorker = { worker, replies: port1, outstanding: new Set(), dead: false };
  const die = () => {
    parseWorker.dead = true;
  };
  worker.on('error', die);
  worker.on('exit', die);
  return parseWorker;
}

/**
 * Worker side: load the parser while the main thread reads, then answer each request in turn.
 * `requests`: the worker's parentPort.
 */
export function runParseWorker(
  analyzer: Analyzer,
  sources: FileInputSources,
  requests: { on(event: 'message', listener: (request: ParseRequest) => void): unknown },
  channel: ParseWorkerChannel,
): void {
  parseScript('warm-up.ts', 'export const warm = (request: unknown) => request;\n', 'typescript');
  requests.on('message', (request) => {
    let reply: ParseReply;
    if ('factsOf' in request) {
      reply = { factsOf: request.factsOf, facts: deferredFactsHere(request.file, analyzer) };
    } else {
      const { index, file, text } = request;
      try {
        reply = { index, result: analyzer.analyzeFile(walkedFileInput(file, text, sources)) };
      } catch (error) {
        reply = { index, failure: (error as Error).message };
      }
    }
    channel.replies.postMessage(reply);
    Atomics.add(channel.repliesPosted, 0, 1);
    Atomics.notify(channel.repliesPosted, 0);
  });
}

/** A deferred file's route facts, read again from disk, on this thread. */
export function deferredFactsHere(file: WalkedFile, analyzer: Analyzer): DeferredFacts {
  const read = readSourceFile(file.path, file.size);
  if ('skip' in read) return { unreadable: true };
  try {
    return analyzer.routeFactsOf(walkedFileInput(file, read.text));
  } catch (error) {
    return { failures: [{ detector: 'routes', message: (error as Error).message }] };
  }
}
