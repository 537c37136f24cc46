import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DEFAULT_MAX_INPUT_BYTES, procedures, type ProcedureDef } from '../../shared/contract';
import { defaultInputContext, procedureNames, sampleInputs } from '../fixtures/procedure-inputs';

type Path = (string | number)[];

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Every object and every string reachable in an input schema, by path. */
function shapeOf(schema: z.ZodType, path: Path = [], out = { objects: [] as Path[], strings: [] as Path[] }) {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      out.objects.push(path);
      for (const [key, child] of Object.entries(def.shape!)) shapeOf(child, [...path, key], out);
      break;
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
      shapeOf(def.innerType!, path, out);
      break;
    case 'array':
      shapeOf(def.element!, [...path, 0], out);
      break;
    case 'string':
      out.strings.push(path);
      break;
    case 'enum':
    case 'literal':
    case 'number':
    case 'boolean':
      break;
    default:
      // A new kind of schema in the contract: teach this walker about it rather than skip it.
      throw new Error(`the contract test cannot read a '${def.type}' at ${path.join('.') || '(input)'}`);
  }
  return out;
}

function withValueAt(input: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(input) as Record<string | number, unknown>;
  let node = copy;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    node[key] ??= typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
  return copy;
}

/** The object at path, made (empty) where the sample leaves an optional part out. */
function objectAt(input: unknown, path: Path): Record<string, unknown> {
  let node = input as Record<string | number, unknown>;
  path.forEach((key, i) => {
    node[key] ??= typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
  return node;
}

const sample = (name: (typeof procedureNames)[number]) => sampleInputs[name](defaultInputContext() as never);
const defOfProcedure = (name: string) => (procedures as Record<string, ProcedureDef>)[name]!;
const commandNames = procedureNames.filter((n) => defOfProcedure(n).kind === 'command');

describe('the IPC contract', () => {
  it('has a sample input for exactly the procedures it declares', () => {
    expect([...procedureNames].sort()).toEqual(Object.keys(procedures).sort());
  });

  describe.each(procedureNames)('%s', (name) => {
    const def = defOfProcedure(name);

    it('accepts its minimal valid input', () => {
      const parsed = def.input.safeParse(sample(name));
      expect(parsed.error?.issues ?? []).toEqual([]);
    });

    it('takes an object and refuses an extra field at every level', () => {
      const { objects } = shapeOf(def.input);
      expect(objects[0]).toEqual([]);
      for (const path of objects) {
        const input = sample(name);
        objectAt(input, path).sneaky = 'extra';
        const parsed = def.input.safeParse(input);
        expect(parsed.success, `extra field at ${path.join('.') || '(input)'}`).toBe(false);
        expect(parsed.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
      }
    });

    it('bounds every string field, within the size the procedure accepts', () => {
      const { strings } = shapeOf(def.input);
      const tooLong = '7'.repeat((def.maxBytes ?? DEFAULT_MAX_INPUT_BYTES) + 1);
      for (const path of strings) {
        const parsed = def.input.safeParse(withValueAt(sample(name), path, tooLong));
        expect(parsed.success, `${tooLong.length} characters at ${path.join('.')}`).toBe(false);
        expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(path.join('.'));
      }
    });

    it('refuses null, arrays and strings as its whole input', () => {
      for (const bad of [null, [], [sample(name)], 'input', 42]) {
        expect(def.input.safeParse(bad).success).toBe(false);
      }
    });
  });

  it.each(commandNames)('%s carries a commandId that must be a UUID', (name) => {
    const def = defOfProcedure(name);
    const valid = sample(name) as Record<string, unknown>;
    expect(valid.commandId).toMatch(/^[0-9a-f-]{36}$/);
    const { commandId: _omitted, ...without } = valid;
    const missing = def.input.safeParse(without);
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.path.join('.'))).toEqual(['commandId']);
    for (const bad of ['not-a-uuid', '', 42, null, '00000000-0000-0000-0000-00000000000g']) {
      const parsed = def.input.safeParse({ ...valid, commandId: bad });
      expect(parsed.success, String(bad)).toBe(false);
    }
  });

  it('marks as commands the foundation procedures that change the bank', () => {
    const commands = Object.entries(procedures)
      .filter(([, d]) => d.kind === 'command')
      .map(([n]) => n);
    expect(commands).toEqual(
      expect.arrayContaining([
        'audit.seal',
        'bank.settings.update',
        'session.changePassword',
        'setup.createBank',
        'staff.create',
        'staff.disable',
        'staff.enable',
        'staff.resetPassword',
        'staff.setRoles',
      ]),
    );
  });

  it('takes a commandId exactly in commands', () => {
    for (const name of procedureNames) {
      const def = defOfProcedure(name);
      const takesCommandId = 'commandId' in (defOf(def.input).shape ?? {});
      expect(takesCommandId, name).toBe(def.kind === 'command');
    }
  });

  it('names the sign-in procedures as the only ones of kind auth', () => {
    const auth = Object.entries(procedures)
      .filter(([, d]) => d.kind === 'auth')
      .map(([n]) => n)
      .sort();
    expect(auth).toEqual(['session.lock', 'session.login', 'session.logout', 'session.unlock']);
  });

  it('lets a locked workstation do only unlock, sign-out and status', () => {
    const whileLocked = Object.entries(procedures)
      .filter(([, d]) => (d as ProcedureDef).whileLocked)
      .map(([n]) => n)
      .sort();
    expect(whileLocked).toEqual([
      'session.current',
      'session.lock',
      'session.logout',
      'session.unlock',
      'system.connectivity',
      'system.info',
    ]);
  });
});
