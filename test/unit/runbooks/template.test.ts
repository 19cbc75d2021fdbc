import { describe, expect, it } from 'vitest';
import { renderTemplate, scanTemplate } from '../../../src/runbooks/template.js';

const values = { name: 'cart', replicas: 3, force: false, revision: null };

describe('runbook templates', () => {
  it('a whole reference keeps the type; a reference in text becomes text', () => {
    expect(
      renderTemplate(
        {
          name: '{{ params.name }}',
          replicas: '{{params.replicas}}',
          force: '{{ params.force }}',
          label: 'app={{ params.name }}',
        },
        values,
      ),
    ).toEqual({ name: 'cart', replicas: 3, force: false, label: 'app=cart' });
  });

  it('an optional parameter left unset drops the key or the item it fills', () => {
    expect(renderTemplate({ name: '{{ params.name }}', toRevision: '{{ params.revision }}' }, values)).toEqual({
      name: 'cart',
    });
    expect(renderTemplate(['a', '{{ params.revision }}', '{{ params.name }}'], values)).toEqual(['a', 'cart']);
  });

  it('throws on a name the runbook does not declare, naming the declared ones', () => {
    expect(() => renderTemplate({ a: '{{ params.nmae }}' }, values)).toThrow(
      'unknown parameter {{ params.nmae }}; declared: name, replicas, force, revision',
    );
  });

  it('throws on an unset optional parameter inside text', () => {
    expect(() => renderTemplate('rev {{ params.revision }}', values)).toThrow(
      /revision has no value and is used inside text/,
    );
  });

  it('accepts nothing but params.<name>', () => {
    for (const t of ['{{ name }}', '{{ params.name | default }}', '{{ params.Name }}', '{{ process.env.X }}', '{{}}']) {
      expect(scanTemplate(t).problems, t).not.toEqual([]);
      expect(() => renderTemplate(t, values), t).toThrow(/unsupported placeholder/);
    }
    expect(scanTemplate('a {{ params.name').problems).toEqual(['unbalanced braces in "a {{ params.name"']);
  });

  it('leaves strings without references, numbers and booleans alone', () => {
    expect(renderTemplate({ kind: 'deployment', limit: 5, all: true, nothing: null }, values)).toEqual({
      kind: 'deployment',
      limit: 5,
      all: true,
      nothing: null,
    });
    expect(scanTemplate('x-{{ params.a }}-{{ params.b }}')).toEqual({
      refs: ['a', 'b'],
      whole: undefined,
      problems: [],
    });
    expect(scanTemplate(' {{ params.a }} ').whole).toBe('a');
  });
});
