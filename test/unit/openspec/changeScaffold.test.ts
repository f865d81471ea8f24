import * as assert from 'node:assert/strict';
import { capabilityProblem, newChangeNameProblem, scaffoldChange } from '../../../src/core/openspec/changeScaffold';
import { parseProposal } from '../../../src/core/openspec/changeDocuments';
import { parseDeltaSpec } from '../../../src/core/openspec/specDocuments';

describe('new change scaffold', () => {
  it('refuses names as `openspec new change` does', () => {
    assert.equal(newChangeNameProblem('Add Auth', []), 'Change name must be lowercase (use kebab-case)');
    assert.equal(newChangeNameProblem('add_auth', []), 'Change name cannot contain underscores (use hyphens instead)');
    assert.equal(newChangeNameProblem('add--auth', []), 'Change name cannot contain consecutive hyphens');
    assert.equal(newChangeNameProblem('add auth', []), 'Change name cannot contain spaces (use hyphens instead)');
    assert.equal(newChangeNameProblem('add-auth', ['add-auth']), "Change 'add-auth' already exists");
    assert.equal(newChangeNameProblem('100-add-auth', []), undefined);
    assert.equal(capabilityProblem('audit/log'), undefined);
    assert.equal(capabilityProblem('audit/Log'), 'Capability path segment must be lowercase (use kebab-case)');
  });

  it('lays out metadata, proposal, tasks and an ADDED delta for a new capability', () => {
    const files = scaffoldChange({
      openspecDir: '/p/openspec',
      changeId: 'add-auth',
      capability: 'auth/login',
      schema: 'spec-driven',
      today: '2026-11-23',
    });
    assert.deepEqual(
      files.map((file) => file.path),
      [
        '/p/openspec/changes/add-auth/.openspec.yaml',
        '/p/openspec/changes/add-auth/proposal.md',
        '/p/openspec/changes/add-auth/tasks.md',
        '/p/openspec/changes/add-auth/specs/auth/login/spec.md',
      ],
    );
    assert.equal(files[0]!.text, 'schema: spec-driven\ncreated: 2026-11-23\n');
    const proposal = parseProposal(files[1]!.path, files[1]!.text);
    assert.deepEqual(
      proposal.newCapabilities.map((capability) => capability.name),
      ['auth/login'],
    );
    assert.ok(proposal.why && proposal.whatChanges);
    assert.deepEqual(
      parseDeltaSpec(files[3]!.path, 'auth/login', files[3]!.text).deltaSections.map((section) => section.operation),
      ['ADDED'],
    );
  });

  it('modifies an existing capability instead of adding it', () => {
    const files = scaffoldChange({
      openspecDir: '/p/openspec',
      changeId: 'tweak',
      capability: 'auth',
      capabilityExists: true,
      schema: 'spec-driven',
      today: '2026-11-23',
    });
    assert.deepEqual(
      parseProposal(files[1]!.path, files[1]!.text).modifiedCapabilities.map((capability) => capability.name),
      ['auth'],
    );
    assert.deepEqual(
      parseDeltaSpec(files[3]!.path, 'auth', files[3]!.text).deltaSections.map((section) => section.operation),
      ['MODIFIED'],
    );
  });
});
