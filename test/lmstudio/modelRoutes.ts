import type { ServerResponse } from 'node:http';
import { sendJson } from './httpJson';
import type { StandInModel } from './standInTypes';

/**
 * `GET /v1/models`: ids only. With just-in-time loading on, LM Studio lists every downloaded model;
 * with it off, only the loaded ones.
 */
export function sendOpenAiModelList(res: ServerResponse, models: readonly StandInModel[], justInTime: boolean): void {
  const listed = justInTime ? models : models.filter((model) => model.loaded);
  sendJson(res, 200, {
    object: 'list',
    data: listed.map((model) => ({ id: model.id, object: 'model', owned_by: 'organization_owner' })),
  });
}

/** `GET /api/v0/models`: LM Studio's own listing with load state and maximum context. */
export function sendRestModelList(res: ServerResponse, models: readonly StandInModel[]): void {
  sendJson(res, 200, {
    object: 'list',
    data: models.map((model) => ({
      id: model.id,
      object: 'model',
      type: model.type ?? 'llm',
      publisher: 'lmstudio-community',
      arch: model.type === 'embeddings' ? 'nomic-bert' : 'qwen2',
      compatibility_type: 'gguf',
      quantization: 'Q4_K_M',
      state: model.loaded ? 'loaded' : 'not-loaded',
      max_context_length: model.contextLength,
    })),
  });
}
