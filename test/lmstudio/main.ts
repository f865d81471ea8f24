/**
 * Runs the LM Studio stand-in by itself for manual runs and demos:
 *   node out/test/lmstudio/main.js [--port N] [--jit]
 * Point openspecLoop.lmStudio.baseUrl at the printed URL. Stop with Ctrl+C.
 */
import { LmStudioStandIn } from './standIn';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portIndex = args.indexOf('--port');
  const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 0;
  if (!Number.isInteger(port) || port < 0) throw new Error(`Invalid --port: ${args[portIndex + 1]}`);
  const server = await LmStudioStandIn.start({ port, justInTime: args.includes('--jit'), chunkDelayMs: 20 });
  console.log(server.baseUrl);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
