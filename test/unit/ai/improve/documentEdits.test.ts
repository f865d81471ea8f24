import * as assert from 'node:assert/strict';
import { z } from 'zod';
import {
  applyDocumentEdits,
  documentEditsAnswerSchema,
  EDITS_THRESHOLD_LINES,
} from '../../../../src/core/ai/improve/documentEdits';
import { readStructured, schemaPrompt } from '../../../../src/core/ai/structuredOutput';
import { NOTES_SPEC, TAGS_DELTA, TASKS } from './impactSamples';

describe('document edits: find/replace changes to a long document', () => {
  it('documents the threshold and the answer shape', () => {
    assert.equal(EDITS_THRESHOLD_LINES, 120);
    const prompt = schemaPrompt(documentEditsAnswerSchema);
    assert.match(prompt, /"summary"/);
    assert.match(prompt, /exact, contiguous excerpt of the current document/);
    assert.match(prompt, /occur exactly once/);
    const json = z.toJSONSchema(documentEditsAnswerSchema) as { required?: string[] };
    assert.deepEqual(json.required, ['summary', 'edits']);
  });

  it('reads a model answer with the schema', () => {
    const answer = JSON.stringify({
      summary: 'Made it measurable.',
      edits: [{ find: 'to a note, quickly.', replace: 'to a note within 1 second.' }],
    });
    const read = readStructured(answer, documentEditsAnswerSchema);
    assert.ok(read.ok);
    assert.equal(read.value.edits.length, 1);
    assert.equal(
      readStructured(JSON.stringify({ summary: 'x', edits: [{ find: '', replace: 'y' }] }), documentEditsAnswerSchema)
        .ok,
      false,
    );
  });

  it('applies edits that each occur once, wherever they are', () => {
    const result = applyDocumentEdits(TAGS_DELTA, [
      {
        find: 'The system SHALL let the owner attach up to 10 tags to a note, quickly.',
        replace: 'The system SHALL let the owner attach up to 10 tags to a note.',
      },
      {
        find: '- **THEN** only notes tagged "work" are listed\n',
        replace:
          '- **THEN** only notes tagged "work" are listed\n\n#### Scenario: No note carries the tag\n- **WHEN** the user selects a tag no note carries\n- **THEN** the list is empty\n',
      },
    ]);
    assert.deepEqual(result, {
      ok: true,
      text:
        TAGS_DELTA.replace(', quickly.', '.') +
        '\n#### Scenario: No note carries the tag\n- **WHEN** the user selects a tag no note carries\n- **THEN** the list is empty\n',
    });
  });

  it('applies edits given in any order', () => {
    const result = applyDocumentEdits(TASKS, [
      { find: '- [ ] 3.2 Tag filter above the list', replace: '- [ ] 3.2 Tag filter above the note list' },
      { find: '- [ ] 2.2 Filter the list endpoint by tag', replace: '- [ ] 2.2 Filter the list endpoint by one tag' },
    ]);
    assert.ok(result.ok);
    assert.equal(
      result.text,
      TASKS.replace('list endpoint by tag', 'list endpoint by one tag').replace(
        'above the list',
        'above the note list',
      ),
    );
  });

  it('with no edits gives the base back', () => {
    assert.deepEqual(applyDocumentEdits(TASKS, []), { ok: true, text: TASKS });
  });

  it('an empty replacement deletes the lines found', () => {
    const result = applyDocumentEdits(TASKS, [{ find: '- [ ] 3.2 Tag filter above the list\n', replace: '' }]);
    assert.deepEqual(result, { ok: true, text: TASKS.replace('- [ ] 3.2 Tag filter above the list\n', '') });
  });

  it('quotes back a text to find that does not occur', () => {
    const result = applyDocumentEdits(TASKS, [
      { find: '- [x] 1.1 Add the tags table and its migration', replace: 'same' },
      { find: '3: - [ ] 1.1 Add the tags table', replace: '- [ ] 1.1 Add the tags table' },
    ]);
    assert.deepEqual(result, {
      ok: false,
      problems: [
        'edit 2: the text to find does not occur in the document: "3: - [ ] 1.1 Add the tags table"; copy it exactly, without line numbers',
      ],
    });
  });

  it('asks for more lines when the text to find occurs more than once', () => {
    const result = applyDocumentEdits(NOTES_SPEC, [{ find: '- **WHEN** ', replace: '- **WHEN** then' }]);
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.problems, [
      'edit 1: the text to find occurs 3 times; include more lines to make it unique: "- **WHEN** "',
    ]);
  });

  it('shortens a long quoted excerpt', () => {
    const result = applyDocumentEdits(TASKS, [{ find: 'x'.repeat(500), replace: '' }]);
    assert.ok(!result.ok);
    assert.ok((result.problems[0] ?? '').length < 250);
    assert.match(result.problems[0] ?? '', /x…"/);
  });

  it('refuses overlapping edits, and an empty find', () => {
    const result = applyDocumentEdits(TASKS, [
      { find: '## 2. API\n\n- [x] 2.1 Accept tags', replace: '## 2. API\n\n- [x] 2.1 Take tags' },
      { find: '- [x] 2.1 Accept tags when creating', replace: '- [x] 2.1 Accept tags on creating' },
      { find: '', replace: 'x' },
    ]);
    assert.deepEqual(result, {
      ok: false,
      problems: [
        'edit 3: the text to find is empty; copy the lines to change from the document',
        'edits 1 and 2 overlap; make them one edit or pick separate lines',
      ],
    });
  });

  it('matches a CRLF document with LF excerpts and keeps every other byte', () => {
    const crlf = TASKS.replace(/\n/g, '\r\n');
    const result = applyDocumentEdits(crlf, [
      {
        find: '- [ ] 3.1 Tag picker in the editor\n- [ ] 3.2',
        replace: '- [ ] 3.1 Tag picker in the note editor\n- [ ] 3.2',
      },
    ]);
    assert.deepEqual(result, {
      ok: true,
      text: crlf.replace('Tag picker in the editor', 'Tag picker in the note editor'),
    });
  });

  it('matches CRLF excerpts in an LF document', () => {
    const result = applyDocumentEdits(TASKS, [
      { find: '## 3. Interface\r\n\r\n- [ ] 3.1', replace: '## 3. User interface\r\n\r\n- [ ] 3.1' },
    ]);
    assert.deepEqual(result, { ok: true, text: TASKS.replace('## 3. Interface', '## 3. User interface') });
  });

  it('keeps a BOM and a mixed-ending document as they were outside the edit', () => {
    const mixed = '\uFEFF## 1. Storage\r\n\r\n- [ ] 1.1 Table\n- [ ] 1.2 Join table\r\n';
    const result = applyDocumentEdits(mixed, [{ find: '- [ ] 1.1 Table\n', replace: '- [ ] 1.1 Tags table\n' }]);
    assert.deepEqual(result, {
      ok: true,
      text: '\uFEFF## 1. Storage\r\n\r\n- [ ] 1.1 Tags table\r\n- [ ] 1.2 Join table\r\n',
    });
  });

  it('edits at the very start and end of the document', () => {
    const result = applyDocumentEdits('first\nmiddle\nlast', [
      { find: 'first', replace: 'First' },
      { find: 'last', replace: 'Last\n' },
    ]);
    assert.deepEqual(result, { ok: true, text: 'First\nmiddle\nLast\n' });
  });
});
