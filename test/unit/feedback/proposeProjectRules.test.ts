import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import type { ChatModel } from '../../../src/core/ai/chatModel';
import { sha256 } from '../../../src/core/hash';
import { unifiedDiff } from '../../../src/core/ai/improve/unifiedDiff';
import { ProjectConfigError } from '../../../src/core/feedback/configYamlMerge';
import { proposeProjectRules } from '../../../src/core/feedback/proposeProjectRules';
import { parseProjectConfig } from '../../../src/core/openspec/yamlFiles';
import type { LmStudioStandIn } from '../../lmstudio/standIn';
import { SAMPLE_ROOT, sampleProjectFs } from '../ai/prompt/sampleWorkspace';
import { promptText, startModel } from '../ai/review/standInModel';

const CONFIG = `# Project settings for OpenSpec
schema: spec-driven # the default workflow
context: |
  Notes is a web app for writing and sharing short notes.
rules:
  # what every proposal needs
  proposal:
    - Name the users affected in "Why".
  specs:
    - Every requirement has a failure scenario.
`;

const LESSONS = [
  'Findings of category "format" were rejected 4 of 5 times in this project: leave format problems to openspec validate unless they change the meaning.',
];

const ANSWER = {
  context: 'Format problems are caught by openspec validate in CI.',
  rules: {
    specs: ['every requirement has a FAILURE scenario.', 'Scenarios name the actor: "the owner", "a viewer".'],
    tasks: ['Each task names the file it changes.'],
    proposal: null,
    design: [],
  },
  summary: 'Adds a context note on validation and two rules from the format lesson.',
};

describe('proposeProjectRules over the LM Studio stand-in', () => {
  let server: LmStudioStandIn;
  let model: ChatModel;

  afterEach(async () => server.close());

  it('adds the new rules and context to config.yaml, keeping its comments and rules, writing nothing', async () => {
    ({ server, model } = await startModel());
    const fs = sampleProjectFs();
    fs.writeFile(`${SAMPLE_ROOT}/openspec/config.yaml`, CONFIG);
    server.enqueueReply(JSON.stringify(ANSWER));
    const proposal = await proposeProjectRules(model, fs, SAMPLE_ROOT, LESSONS);
    assert.equal(proposal.file, 'openspec/config.yaml');
    assert.equal(proposal.absolutePath, '/sample/openspec/config.yaml');
    assert.equal(proposal.baseText, CONFIG);
    assert.equal(proposal.baseHash, sha256(CONFIG));
    assert.equal(proposal.created, false);
    assert.equal(proposal.changed, true);
    assert.equal(proposal.summary, ANSWER.summary);
    assert.equal(await fs.readFile('/sample/openspec/config.yaml'), CONFIG);
    assert.equal(
      proposal.proposedText,
      `# Project settings for OpenSpec
schema: spec-driven # the default workflow
context: |
  Notes is a web app for writing and sharing short notes.
  Format problems are caught by openspec validate in CI.
rules:
  # what every proposal needs
  proposal:
    - Name the users affected in "Why".
  specs:
    - Every requirement has a failure scenario.
    - 'Scenarios name the actor: "the owner", "a viewer".'
  tasks:
    - Each task names the file it changes.
`,
    );
    const parsed = parseProjectConfig('/sample/openspec/config.yaml', proposal.proposedText);
    assert.equal(parsed.error, undefined);
    assert.deepEqual(parsed.data.rules?.specs, [
      'Every requirement has a failure scenario.',
      'Scenarios name the actor: "the owner", "a viewer".',
    ]);
    assert.match(
      unifiedDiff(proposal.baseText, proposal.proposedText, proposal.file),
      /^\+ {4}- Each task names the file it changes\.$/m,
    );

    const request = server.requests[0];
    assert.equal(request?.response_format?.json_schema?.name, 'openspec_project_rules');
    const prompt = promptText(request);
    assert.ok(prompt.includes(CONFIG.trimEnd()));
    assert.ok(prompt.includes(`- ${LESSONS[0] ?? ''}`));
  });

  it('drafts a minimal config.yaml when the project has none', async () => {
    ({ server, model } = await startModel());
    const fs = sampleProjectFs();
    fs.delete(`${SAMPLE_ROOT}/openspec/config.yaml`);
    server.enqueueReply(
      JSON.stringify({
        context: null,
        rules: { tasks: ['Each task names the file it changes.'] },
        summary: 'One rule for tasks.',
      }),
    );
    const proposal = await proposeProjectRules(model, fs, SAMPLE_ROOT, LESSONS);
    assert.equal(proposal.created, true);
    assert.equal(proposal.baseText, '');
    assert.equal(proposal.baseHash, sha256(''));
    assert.equal(
      proposal.proposedText,
      'schema: spec-driven\nrules:\n  tasks:\n    - Each task names the file it changes.\n',
    );
    assert.match(promptText(server.requests[0]), /The project has no openspec\/config\.yaml yet\./);
    assert.equal(parseDocument(proposal.proposedText).errors.length, 0);
  });

  it('proposes no change when the model adds only what config.yaml already says', async () => {
    ({ server, model } = await startModel());
    const fs = sampleProjectFs();
    const before = await fs.readFile(`${SAMPLE_ROOT}/openspec/config.yaml`);
    server.enqueueReply(
      JSON.stringify({
        context: 'Notes is a web app for writing and sharing short notes.',
        rules: { proposal: ['Name the users affected in  "Why".'] },
        summary: 'Nothing new.',
      }),
    );
    const proposal = await proposeProjectRules(model, fs, SAMPLE_ROOT, LESSONS);
    assert.equal(proposal.changed, false);
    assert.equal(proposal.proposedText, before);
  });

  it('asks no model without lessons, and refuses to rewrite malformed YAML', async () => {
    ({ server, model } = await startModel());
    const fs = sampleProjectFs();
    const empty = await proposeProjectRules(model, fs, SAMPLE_ROOT, []);
    assert.equal(empty.changed, false);
    assert.equal(server.requests.length, 0);
    fs.writeFile(`${SAMPLE_ROOT}/openspec/config.yaml`, 'schema: spec-driven\nrules: [unclosed\n');
    server.enqueueReply(JSON.stringify(ANSWER));
    await assert.rejects(proposeProjectRules(model, fs, SAMPLE_ROOT, LESSONS), ProjectConfigError);
  });
});
