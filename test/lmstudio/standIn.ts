/**
 * LmStudioStandIn: a real HTTP server on 127.0.0.1 that speaks LM Studio's protocol, for tests and demos.
 *
 *   const server = await LmStudioStandIn.start();        // one loaded model, qwen2.5-7b-instruct, 32768 ctx
 *   server.baseUrl                                       // http://127.0.0.1:PORT/v1
 *   server.enqueueReply('{"ok":true}');                  // next chat replies, in order
 *   server.enqueueReply({ toolCalls: [{ name: 'mcp__x__echo', arguments: { message: 'hi' } }] });
 *                                                        // a tool call, streamed as `delta.tool_calls`
 *   server.injectFault({ kind: 'httpError', status: 503 }, { times: 2 });
 *   server.requests                                      // parsed bodies of every chat request (tools too)
 *   server.received                                      // method and path of every request, of any route
 *   await server.close();
 *
 * Routes: GET /v1/models, GET /api/v0/models, POST /v1/chat/completions (streamed or not). Any other path
 * gets HTTP 200 `{"error":"Unexpected endpoint or method. (METHOD /path)"}`, as LM Studio answers.
 * `restApi: false` makes /api/v0/models one of those (older servers, proxies).
 *
 * Faults (`injectFault(fault, {times = 1 | Infinity, route = 'chat' | 'models' | 'any'})`):
 *   refused           socket destroyed before any answer (client: "Connection error."); for a real
 *                     ECONNREFUSED, `close()` then `restart()` on the same port
 *   httpError         any status with an OpenAI error object: {kind:'httpError', status: 500 | 503 | 408 ...}
 *   rateLimited       429 with `retry-after: retryAfterSeconds` (default 1)
 *   noModelLoaded     variant 'badRequest' (400), 'notFound' (404), 'plainString' (400 `{"error":"No models..."}`)
 *                     (also happens by itself when no model is loaded and just-in-time loading is off)
 *   modelNotFound     400 code model_not_found, `Invalid model identifier "x"...` (also for any unknown model id)
 *   contextOverflow   variant 'sseError' (200 stream, `event: error`, "Input does not fit..."; also happens by
 *                     itself when the prompt estimate exceeds the model's context), 'plainString' (older 400),
 *                     'emptyStream' (200 with zero content deltas), 'midGeneration' (2 chunks then
 *                     "Reached context length of N tokens...")
 *   crashMidStream    afterChunks content chunks (default 2), then the socket is destroyed
 *   stall             nothing, not even headers, for `ms` (then a normal answer) or, without ms, until the
 *                     client aborts
 *   pauseMidStream    afterChunks chunks, then silence for `ms` or until the client aborts
 *   authRequired      401 "An LM Studio API token is required..." (or start({apiKey}) to demand a token always)
 *   modelCrash        "The model has crashed without additional information..." as `event: error` (default)
 *                     or variant 'http500'
 *   loadFailure       400 `Failed to load model "x". Error: Error loading model.`
 *   unknownRoute      HTTP 200 `{"error":"Unexpected endpoint or method. (POST /v1/chat/completions)"}`
 * Bad content is scripted, not injected: see `standInReplies.ts` (invalid JSON, schema-violating JSON,
 * `<think>` preambles split across chunks, `reasoning_content`).
 * `justInTime: true` (start option or property) lets requests naming a not-loaded model load and answer.
 * `chunkDelayMs` (default 1) spaces the streamed deltas.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleChat } from './chatRoute';
import { waitOrClientGone } from './completionWriter';
import { FaultQueue } from './faultQueue';
import { applyFault } from './faultResponses';
import { readBody, sendJson } from './httpJson';
import { apiTokenRequiredMessage, openAiErrorBody, unexpectedEndpointMessage } from './lmStudioMessages';
import { sendOpenAiModelList, sendRestModelList } from './modelRoutes';
import type { FaultOptions, RecordedChatRequest, StandInFault, StandInModel, StandInReply } from './standInTypes';

export type {
  FaultOptions,
  RecordedChatMessage,
  RecordedChatRequest,
  RecordedTool,
  StandInFault,
  StandInModel,
  StandInReply,
  StandInToolCall,
} from './standInTypes';

export interface StandInOptions {
  readonly models?: readonly StandInModel[];
  readonly port?: number;
  readonly justInTime?: boolean;
  readonly chunkDelayMs?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  /** False: /api/v0/models answers like an unknown route. */
  readonly restApi?: boolean;
  /**
   * Appends `{"method","path"}` of every request to this JSONL file as it arrives: for a test in another process
   * (the extension host) that asks whether anything reached the server.
   */
  readonly requestLog?: string;
}

/** One request as it arrived, whatever its route. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
}

export const defaultStandInModel: StandInModel = { id: 'qwen2.5-7b-instruct', loaded: true, contextLength: 32768 };

type ReplyHandler = (request: RecordedChatRequest) => StandInReply;

export class LmStudioStandIn {
  /** Every chat request's parsed body, in arrival order. */
  readonly requests: RecordedChatRequest[] = [];
  /** Every request of any route (models, chat, unknown), in arrival order. */
  readonly received: ReceivedRequest[] = [];
  private readonly requestLog: string | undefined;
  justInTime: boolean;
  chunkDelayMs: number;
  apiKey: string | undefined;
  restApi: boolean;
  private models: StandInModel[];
  private readonly replies: StandInReply[] = [];
  private replyHandler: ReplyHandler | undefined;
  private readonly faults = new FaultQueue();
  private server: Server | undefined;
  private port: number;

  private constructor(options: StandInOptions) {
    this.models = [...(options.models ?? [defaultStandInModel])];
    this.port = options.port ?? 0;
    this.justInTime = options.justInTime ?? false;
    this.chunkDelayMs = options.chunkDelayMs ?? 1;
    this.apiKey = options.apiKey;
    this.restApi = options.restApi ?? true;
    this.requestLog = options.requestLog;
  }

  static async start(options: StandInOptions = {}): Promise<LmStudioStandIn> {
    const standIn = new LmStudioStandIn(options);
    await standIn.listen();
    return standIn;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  setModels(models: readonly StandInModel[]): void {
    this.models = [...models];
  }

  getModels(): readonly StandInModel[] {
    return this.models;
  }

  enqueueReply(...replies: StandInReply[]): void {
    this.replies.push(...replies);
  }

  /** Answers chat requests when no scripted reply is queued. */
  setReplyHandler(handler: ReplyHandler | undefined): void {
    this.replyHandler = handler;
  }

  injectFault(fault: StandInFault, options: FaultOptions = {}): void {
    this.faults.add(fault, options);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Stops listening and drops open connections: clients now get ECONNREFUSED. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Listens again on the same port after `close()`. */
  async restart(): Promise<void> {
    await this.close();
    await this.listen();
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private nextReply(request: RecordedChatRequest): StandInReply {
    const scripted = this.replies.shift();
    if (scripted !== undefined) return scripted;
    if (this.replyHandler) return this.replyHandler(request);
    const lastUser = [...(request.messages ?? [])].reverse().find((message) => message.role === 'user');
    return `Echo: ${lastUser?.content ?? ''}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const method = req.method ?? 'GET';
      this.received.push({ method, path });
      if (this.requestLog) appendFileSync(this.requestLog, `${JSON.stringify({ method, path })}\n`);
      const text = await readBody(req);
      if (this.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.apiKey}`) {
        return sendJson(res, 401, openAiErrorBody(apiTokenRequiredMessage));
      }
      const isChat = method === 'POST' && path === '/v1/chat/completions';
      const isModels = method === 'GET' && (path === '/v1/models' || (this.restApi && path === '/api/v0/models'));
      const fault = this.faults.take(isChat ? 'chat' : isModels ? 'models' : 'other');
      if (isChat) {
        const body = JSON.parse(text || '{}') as RecordedChatRequest;
        this.requests.push(body);
        return await handleChat(req, res, body, fault, {
          models: this.models,
          justInTime: this.justInTime,
          chunkDelayMs: this.chunkDelayMs,
          nextReply: (request) => this.nextReply(request),
          markLoaded: (id) => this.markLoaded(id),
        });
      }
      if (fault) {
        const effect = applyFault(fault, { req, res, model: '', promptTokens: 0, contextLength: 0 });
        if (!effect) return;
        if (effect.delayMs !== undefined) {
          await waitOrClientGone(res, Number.isFinite(effect.delayMs) ? effect.delayMs : undefined);
          if (res.destroyed) return;
        }
      }
      if (isModels && path === '/v1/models') return sendOpenAiModelList(res, this.models, this.justInTime);
      if (isModels) return sendRestModelList(res, this.models);
      sendJson(res, 200, { error: unexpectedEndpointMessage(method, path) });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    }
  }

  private markLoaded(id: string): void {
    this.models = this.models.map((model) => (model.id === id ? { ...model, loaded: true } : model));
  }
}
