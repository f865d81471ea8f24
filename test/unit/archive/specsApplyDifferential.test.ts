import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildUpdatedSpecText } from '../../../src/core/validation/specsApply';

/**
 * Random delta/main-spec pairs merged by our `buildUpdatedSpecText` and by the OpenSpec CLI's own
 * `buildUpdatedSpec` (which reads files, hence the temporary folder): text, counts, warnings and refusal
 * messages must be identical.
 */
interface CliSpecsApply {
  buildUpdatedSpec(
    update: { id: string; source: string; sourceRoot: string; target: string; targetRoot: string },
    changeName: string,
    options: { silent: boolean },
  ): Promise<{ rebuilt: string; counts: object; warnings: string[]; noRequirementBlocks: boolean }>;
}

/** Not an exported subpath of the package, so it is loaded by file. */
const cliModule = pathToFileURL(join(dirname(require.resolve('@fission-ai/openspec')), 'core/specs-apply.js')).href;

/** mulberry32: small, seedable, good enough to spread cases. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number, gentle: boolean): { delta: () => string; main: () => string | undefined } {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const names = [
    'Spin',
    'spin',
    'SPIN',
    'Color',
    'color',
    'Size',
    'New one',
    'Spin ###',
    'Old',
    'Turn',
    'Spin  fast',
    'spin fast',
  ];
  const scenarios = ['Spins fast', 'Stops', 'Red', 'Big', 'Wobbles', 'Stops ###', 'Edge'];
  const block = (name: string): string => {
    let text = `### Requirement: ${name}\n${pick(['The widget SHALL spin.', 'Text without keyword.', 'The widget MUST do it.\nSecond line.'])}\n\n`;
    const count = Math.floor(rnd() * 3) + (rnd() < 0.1 ? 0 : 1);
    for (let i = 0; i < count; i++)
      text += `#### ${pick(['Scenario: ', 'Scenario:', ''])}${pick(scenarios)}\n- **WHEN** a\n- **THEN** b\n\n`;
    if (rnd() < 0.1) text += '### Notes\nA note under a foreign heading.\n\n';
    if (rnd() < 0.1) text += '```\n### Requirement: Fenced\n\n\n\n```\n\n';
    return text;
  };
  const main = (): string | undefined => {
    if (rnd() < 0.15) return undefined;
    let text = pick(['# widgets Specification\n\n', '', '# Title\n\nIntro\n\n']);
    text += pick([
      '## Purpose\nWidgets spin, have colors and sizes; long enough purpose text here.\n\n',
      '## Purpose\nShort.\n\n',
      '',
    ]);
    if (rnd() < 0.9) {
      text += '## Requirements\n';
      if (rnd() < 0.2) text += 'Preamble text.\n\n';
      const used = new Set<string>();
      for (let i = Math.floor(rnd() * 4); i > 0; i--) {
        const name = pick(names);
        if (rnd() < 0.9 && used.has(name)) continue;
        used.add(name);
        text += block(name);
      }
    }
    if (rnd() < 0.2) text += '## Notes\nTrailing section.\n';
    if (rnd() < 0.05) text += '## ADDED Requirements\n';
    return rnd() < 0.05 ? text.replace(/\n/g, '\r\n') : text;
  };
  const delta = (): string => {
    let text = '';
    if (rnd() < 0.2) {
      text += pick([
        '## Purpose\nA carried purpose for the new capability that is long enough.\n\n',
        '## Purpose\nTiny.\n\n',
        '## Purpose\n<!-- fill -->\n\n',
        '## Purpose\n### Requirement: Sneaky\n\n',
        '## Purpose\n# Heading\n\n',
      ]);
    }
    if (rnd() < 0.05) text += block(pick(names));
    for (const kind of ['ADDED', 'MODIFIED', 'REMOVED', 'RENAMED'].filter(() => rnd() < 0.45)) {
      text += `## ${kind} Requirements\n`;
      for (let i = gentle ? 1 : Math.floor(rnd() * 3) + 1; i > 0; i--) {
        if (kind === 'REMOVED')
          text += pick([`### Requirement: ${pick(names)}\n`, `- \`### Requirement: ${pick(names)}\`\n`]);
        else if (kind === 'RENAMED') {
          text += `- FROM: \`### Requirement: ${pick(names)}\`\n`;
          if (gentle || rnd() > 0.05) text += `- TO: \`### Requirement: ${pick(names)}\`\n`;
        } else text += block(pick(names));
      }
      text += '\n';
    }
    return text;
  };
  return { delta, main };
}

describe('buildUpdatedSpecText matches the OpenSpec CLI merge', function () {
  this.timeout(60000);
  let dir: string;
  let cli: CliSpecsApply;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'specs-apply-'));
    cli = (await import(cliModule)) as CliSpecsApply;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [seed, gentle] of [
    [1, false],
    [2, true],
  ] as const) {
    it(`agrees on 400 random cases (seed ${seed}${gentle ? ', one entry per section' : ''})`, async () => {
      const { delta, main } = generator(seed, gentle);
      for (let n = 0; n < 400; n++) {
        const deltaContent = delta();
        const mainContent = main();
        const caseDir = join(dir, `${seed}-${n}`);
        const source = join(caseDir, 'change/specs/widgets/spec.md');
        const target = join(caseDir, 'openspec/specs/widgets/spec.md');
        mkdirSync(join(caseDir, 'change/specs/widgets'), { recursive: true });
        mkdirSync(join(caseDir, 'openspec/specs/widgets'), { recursive: true });
        writeFileSync(source, deltaContent);
        if (mainContent !== undefined) writeFileSync(target, mainContent);
        const update = {
          id: 'widgets',
          source,
          sourceRoot: join(caseDir, 'change/specs'),
          target,
          targetRoot: join(caseDir, 'openspec/specs'),
        };
        const expected = await cli.buildUpdatedSpec(update, 'my-change', { silent: true }).then(
          (r) => ({
            rebuilt: r.rebuilt,
            counts: r.counts,
            warnings: r.warnings,
            noRequirementBlocks: r.noRequirementBlocks,
          }),
          (error: Error) => ({ error: error.message }),
        );
        let actual: object;
        try {
          const r = buildUpdatedSpecText({
            specId: 'widgets',
            changeName: 'my-change',
            deltaContent,
            mainContent,
            targetFile: target,
          });
          actual = {
            rebuilt: r.rebuilt,
            counts: r.counts,
            warnings: r.warnings,
            noRequirementBlocks: r.noRequirementBlocks,
          };
        } catch (error) {
          actual = { error: (error as Error).message };
        }
        assert.deepEqual(actual, expected, `case ${n}\n--- delta\n${deltaContent}\n--- main\n${String(mainContent)}`);
      }
    });
  }
});
