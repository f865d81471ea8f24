import type { LlmError } from '../llmError';
import { fromServerAnswer, toLlmError } from './errorClassification';
import { serverRootOf, type LmStudioSettings } from './lmStudioSettings';
import { errorMessageIn, getJson, type RestAnswer, type RestOptions } from './restClient';
import type { TransportContext } from './transportContext';
import { transportErrors } from './transportErrors';

export interface CatalogModel {
  readonly id: string;
  /** Undefined when only `/v1/models` answered, which does not say. */
  readonly loaded: boolean | undefined;
  /** The context the model is loaded with when LM Studio says so, else its maximum; undefined from `/v1/models`. */
  readonly contextLength: number | undefined;
  /** 'llm', 'vlm', 'embeddings'...; undefined from `/v1/models`. */
  readonly type: string | undefined;
}

export interface ModelCatalog {
  /** 'lmStudio' from `/api/v0/models`, 'openAi' from the `/v1/models` fallback. */
  readonly source: 'lmStudio' | 'openAi';
  readonly models: readonly CatalogModel[];
}

export interface ResolvedModel {
  readonly id: string;
  readonly contextLength: number | undefined;
}

export type ServerStatus =
  | { readonly state: 'online'; readonly loadedModel?: ResolvedModel; readonly models: readonly CatalogModel[] }
  | { readonly state: 'offline'; readonly error: LlmError };

/**
 * Lists models from LM Studio's own `/api/v0/models` (load state and context), falling back to the
 * OpenAI `/v1/models` (ids only) when that route is absent: older LM Studio versions and proxies.
 * LM Studio answers unknown routes with HTTP 200 and an `error` body, so "absent" is judged by the body.
 */
export async function listModels(settings: LmStudioSettings, options: RestOptions = {}): Promise<ModelCatalog> {
  const context = contextOf(settings);
  const rest = await getJson(`${serverRootOf(settings.baseUrl)}/api/v0/models`, settings, context, options);
  const restModels = dataArray(rest);
  if (restModels) return { source: 'lmStudio', models: restModels.map(fromRestEntry) };
  if (rest.status === 401 || rest.status === 403) throw answerError(rest, context);
  const openAi = await getJson(`${settings.baseUrl}/models`, settings, context, options);
  const openAiModels = dataArray(openAi);
  if (openAiModels) return { source: 'openAi', models: openAiModels.map(fromOpenAiEntry) };
  throw answerError(openAi, context);
}

/**
 * The model requests go to: the configured one if LM Studio has it (loaded or, with just-in-time
 * loading, not yet), else the first loaded LLM (embedding models cannot chat).
 */
export async function resolveModel(settings: LmStudioSettings, options: RestOptions = {}): Promise<ResolvedModel> {
  const catalog = await listModels(settings, options);
  const chatModels = catalog.models.filter(canChat);
  if (settings.model) {
    const named = catalog.models.find((model) => model.id === settings.model);
    if (named) return { id: named.id, contextLength: named.contextLength };
    const availableModels = chatModels.map((model) => model.id);
    throw transportErrors.modelNotFound({ ...contextOf(settings), availableModels });
  }
  const loaded = chatModels.find((model) => model.loaded !== false);
  if (!loaded) throw transportErrors.noModelLoaded(contextOf(settings));
  return { id: loaded.id, contextLength: loaded.contextLength };
}

/** Whether LM Studio answers and what it has loaded, for a status bar item. Never throws except on abort. */
export async function probeServer(
  settings: LmStudioSettings,
  signal?: AbortSignal,
  options: RestOptions = {},
): Promise<ServerStatus> {
  try {
    const catalog = await listModels(settings, { ...options, ...(signal ? { signal } : {}) });
    const loaded = catalog.models.find((model) => canChat(model) && model.loaded !== false);
    const loadedModel = loaded ? { id: loaded.id, contextLength: loaded.contextLength } : undefined;
    return { state: 'online', ...(loadedModel ? { loadedModel } : {}), models: catalog.models };
  } catch (error) {
    const llmError = toLlmError(error, contextOf(settings));
    if (llmError.reason === 'cancelled') throw llmError;
    return { state: 'offline', error: llmError };
  }
}

function canChat(model: CatalogModel): boolean {
  if (model.type !== undefined) return model.type !== 'embeddings' && model.type !== 'embedding';
  return !/embed/i.test(model.id);
}

function contextOf(settings: LmStudioSettings): TransportContext {
  return { baseUrl: settings.baseUrl, model: settings.model, apiKeySet: settings.apiKey !== undefined };
}

function dataArray(answer: RestAnswer): Record<string, unknown>[] | undefined {
  if (answer.status !== 200 || !answer.body || typeof answer.body !== 'object') return undefined;
  const data = (answer.body as { data?: unknown }).data;
  return Array.isArray(data)
    ? data.filter(
        (entry: unknown): entry is Record<string, unknown> =>
          typeof entry === 'object' && entry !== null && typeof (entry as { id?: unknown }).id === 'string',
      )
    : undefined;
}

function fromRestEntry(entry: Record<string, unknown>): CatalogModel {
  const context = numberIn(entry.loaded_context_length) ?? numberIn(entry.max_context_length);
  return {
    id: String(entry.id),
    loaded: entry.state === 'loaded',
    contextLength: context,
    type: typeof entry.type === 'string' ? entry.type : undefined,
  };
}

function fromOpenAiEntry(entry: Record<string, unknown>): CatalogModel {
  return { id: String(entry.id), loaded: undefined, contextLength: undefined, type: undefined };
}

function numberIn(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function answerError(answer: RestAnswer, context: TransportContext): LlmError {
  return fromServerAnswer(errorMessageIn(answer.body), answer.status, context);
}
