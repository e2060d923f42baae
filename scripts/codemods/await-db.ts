// One-off codemod for issue 16 step 1 (the async data layer): with db/index.ts's DB type on
// drizzle's async SQLite driver, every drizzle query call returns a Promise. This adds `await` to
// each such call and to every call of a project function that becomes async because of it, marks
// the enclosing functions async (Promise<…> return types), and prints what it could not do safely
// (callbacks of array methods, expect(() => …), describe bodies, module top level, getters) for a
// person to finish. Run: npx tsx scripts/codemods/await-db.ts [--write]
import path from 'node:path';
import fs from 'node:fs';
import ts from 'typescript';

const root = process.cwd();
const write = process.argv.includes('--write');
const cfgFile = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
if (!cfgFile) throw new Error('no tsconfig');
const cfg = ts.getParsedCommandLineOfConfigFile(cfgFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d.messageText) });
if (!cfg) throw new Error('bad tsconfig');
const program = ts.createProgram({ rootNames: cfg.fileNames, options: { ...cfg.options, incremental: false } });
const checker = program.getTypeChecker();
const ours = (sf: ts.SourceFile) => !sf.fileName.includes('/node_modules/') && !sf.fileName.includes('/.next/') && !sf.fileName.endsWith('.d.ts') && !sf.fileName.includes('/codemods/');
const files = program.getSourceFiles().filter(ours);

type Fn = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.ConstructorDeclaration | ts.SetAccessorDeclaration;
const isFn = (n: ts.Node): n is Fn =>
  ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isGetAccessor(n) || ts.isConstructorDeclaration(n) || ts.isSetAccessor(n);

function enclosing(n: ts.Node): Fn | null {
  for (let p = n.parent; p; p = p.parent) if (isFn(p)) return p;
  return null;
}
const isAsync = (f: Fn) => !!ts.getCombinedModifierFlags(f as ts.Declaration) && (ts.getCombinedModifierFlags(f as ts.Declaration) & ts.ModifierFlags.Async) !== 0;

function skipParens(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && ts.isParenthesizedExpression(p)) p = p.parent;
  return p;
}

const DRIZZLE_METHODS = new Set(['all', 'get', 'run', 'values', 'execute', 'transaction', 'batch']);
// Written by hand before the codemod runs: the connection layer and the kernel.
const HAND_MADE = ['/db/index.ts', '/db/mutation.ts'];
const handMade = (file: string) => HAND_MADE.some((f) => file.endsWith(f));
// SQLiteRaw: what db.all/get/run/values(sql`…`) return on the async driver, a thenable.
const returnsPromise = (call: ts.CallExpression) => {
  const sig = checker.getResolvedSignature(call);
  const ret = sig ? checker.getReturnTypeOfSignature(sig) : undefined;
  const name = ret?.getSymbol()?.getName();
  return name === 'Promise' || name === 'SQLiteRaw';
};
function isDrizzleCall(call: ts.CallExpression): boolean {
  const decl = checker.getResolvedSignature(call)?.declaration;
  if (decl && handMade(decl.getSourceFile().fileName)) return returnsPromise(call);
  if (!ts.isPropertyAccessExpression(call.expression)) return false;
  if (!DRIZZLE_METHODS.has(call.expression.name.text)) return false;
  const sym = checker.getSymbolAtLocation(call.expression.name);
  const first = sym?.declarations?.[0];
  if (!first) return false;
  const file = first.getSourceFile().fileName;
  if (!file.includes('/drizzle-orm/') && !handMade(file)) return false;
  return returnsPromise(call);
}

// Call sites by the project function they call.
const callsOf = new Map<ts.Node, ts.CallExpression[]>();
const seeds: ts.CallExpression[] = [];
for (const sf of files) {
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n)) {
      if (handMade(sf.fileName)) {
        /* the hand-written layer is left as written */
      } else if (isDrizzleCall(n)) seeds.push(n);
      else {
        const decl = checker.getResolvedSignature(n)?.declaration as ts.Node | undefined;
        if (decl && ours(decl.getSourceFile())) {
          const list = callsOf.get(decl) ?? [];
          list.push(n);
          callsOf.set(decl, list);
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

const toAwait = new Set<ts.CallExpression>();
const toAsync = new Set<Fn>();
const flagged: string[] = [];
const where = (n: ts.Node) => {
  const sf = n.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
  return `${path.relative(root, sf.fileName)}:${line + 1}`;
};
const ARRAY_CALLBACKS = new Set(['map', 'forEach', 'filter', 'flatMap', 'some', 'every', 'find', 'findIndex', 'reduce', 'sort', 'toSorted']);
const TEST_CALLBACKS = new Set(['it', 'test', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'step']);

const work: Fn[] = [];
/** X.map(cb) / X.forEach(cb) / Array.from(src, cb) whose cb became async: await inOrder(X, cb). */
const inOrderCalls = new Set<ts.CallExpression>();
const asyncTypes = new Set<ts.SignatureDeclaration>();
function needAwait(call: ts.CallExpression): void {
  const parent = skipParens(call);
  if (parent && ts.isAwaitExpression(parent)) return;
  // main().catch(…), p.then(…): already handled as a promise.
  if (parent && ts.isPropertyAccessExpression(parent) && ['then', 'catch', 'finally'].includes(parent.name.text)) return;
  if (toAwait.has(call)) return;
  const f = enclosing(call);
  if (!f) {
    flagged.push(`${where(call)}  top level: ${call.getText().slice(0, 80)}`);
    return;
  }
  toAwait.add(call);
  if (!toAsync.has(f)) {
    toAsync.add(f);
    work.push(f);
  }
}
for (const s of seeds) needAwait(s);
while (work.length) {
  const f = work.pop()!;
  if (ts.isGetAccessor(f) || ts.isConstructorDeclaration(f) || ts.isSetAccessor(f)) flagged.push(`${where(f)}  accessor/constructor would become async`);
  // A callback: who calls it is not in our map; say where it is passed.
  if ((ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && ts.isCallExpression(f.parent)) {
    const callee = f.parent.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (((name === 'map' || name === 'forEach') && ts.isPropertyAccessExpression(callee)) || (name === 'from' && f.parent.arguments.length === 2 && f.parent.arguments[1] === f)) {
      inOrderCalls.add(f.parent);
      const outer = enclosing(f.parent);
      if (!outer) flagged.push(`${where(f)}  inOrder at top level`);
      else if (!toAsync.has(outer)) {
        toAsync.add(outer);
        work.push(outer);
      }
    }
    else if (ARRAY_CALLBACKS.has(name)) flagged.push(`${where(f)}  callback of .${name}() becomes async`);
    else if (name === 'expect') flagged.push(`${where(f)}  expect(() => …) becomes async: use await expect(…).rejects`);
    else if (name === 'describe') flagged.push(`${where(f)}  describe body would become async`);
    else if (!TEST_CALLBACKS.has(name)) flagged.push(`${where(f)}  callback passed to ${name || callee.getText().slice(0, 40)}() becomes async`);
  }
  for (const call of callsOf.get(f) ?? []) needAwait(call);
  // A function value whose declared type is a function type of ours (`setup: () => World`): that
  // type returns a Promise now, and whatever calls through it awaits.
  if (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) {
    const raw = checker.getContextualType(f);
    const ctx = raw && checker.getNonNullableType(raw);
    for (const sig of ctx?.getCallSignatures() ?? []) {
      const d = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
      if (!d || !ours(d.getSourceFile()) || handMade(d.getSourceFile().fileName)) continue;
      if (!(ts.isFunctionTypeNode(d) || ts.isMethodSignature(d) || ts.isCallSignatureDeclaration(d))) continue;
      if (asyncTypes.has(d)) continue;
      if (d.type && /Promise</u.test(d.type.getText())) continue;
      asyncTypes.add(d);
      for (const call of callsOf.get(d) ?? []) needAwait(call);
    }
  }
}

// Edits.
interface Edit {
  pos: number;
  end: number;
  text: string;
  order: number;
}
const edits = new Map<string, Edit[]>();
const needsImport = new Set<ts.SourceFile>();
const inOrderImport = new Set<ts.SourceFile>();
const add = (sf: ts.SourceFile, e: Edit) => {
  const list = edits.get(sf.fileName) ?? [];
  list.push(e);
  edits.set(sf.fileName, list);
};
for (const call of toAwait) {
  const sf = call.getSourceFile();
  const parent = skipParens(call);
  const wrap =
    !!parent &&
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || (ts.isCallExpression(parent) && parent.expression === call) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) &&
    call.parent === parent;
  // Outer expressions first at one position: order by end, larger first.
  add(sf, { pos: call.getStart(), end: call.getStart(), text: wrap ? '(await ' : 'await ', order: -call.getEnd() });
  if (wrap) add(sf, { pos: call.getEnd(), end: call.getEnd(), text: ')', order: call.getStart() });
}
for (const f of toAsync) {
  if (ts.isGetAccessor(f) || ts.isConstructorDeclaration(f) || ts.isSetAccessor(f)) continue;
  const sf = f.getSourceFile();
  if (!isAsync(f)) {
    let pos: number;
    if (ts.isFunctionDeclaration(f) || ts.isFunctionExpression(f)) {
      const kw = f.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.FunctionKeyword);
      pos = kw ? kw.getStart(sf) : f.getStart(sf);
    } else if (ts.isMethodDeclaration(f)) {
      pos = f.name.getStart(sf);
      if (f.asteriskToken) flagged.push(`${where(f)}  generator method`);
    } else {
      pos = (f.typeParameters?.pos !== undefined ? f.typeParameters[0]?.getStart(sf) ?? f.getStart(sf) : f.getStart(sf));
      const mods = ts.getModifiers(f);
      if (mods?.length) pos = f.getStart(sf);
      if (f.typeParameters?.length) pos = f.getStart(sf);
    }
    add(sf, { pos, end: pos, text: 'async ', order: 1e9 });
  }
  if (f.type) {
    const t = f.type.getText(sf);
    if (!/^Promise</u.test(t)) add(sf, { pos: f.type.getStart(sf), end: f.type.getEnd(), text: `Promise<${t}>`, order: 0 });
  }
}

// ReturnType<typeof f> of a function now async: Awaited<…>.
for (const sf of files) {
  const visit = (n: ts.Node) => {
    if (ts.isTypeReferenceNode(n) && n.typeName.getText(sf) === 'ReturnType' && n.typeArguments?.length === 1) {
      const arg = n.typeArguments[0]!;
      if (ts.isTypeQueryNode(arg)) {
        const sym = checker.getSymbolAtLocation(arg.exprName);
        const target = sym && (sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym);
        const decl = target?.valueDeclaration;
        const fn = decl && (isFn(decl) ? decl : ts.isVariableDeclaration(decl) && decl.initializer && isFn(decl.initializer) ? decl.initializer : null);
        const parentIsAwaited = ts.isTypeReferenceNode(n.parent) && n.parent.typeName.getText(sf) === 'Awaited';
        if (fn && toAsync.has(fn) && !parentIsAwaited) {
          add(sf, { pos: n.getStart(sf), end: n.getStart(sf), text: 'Awaited<', order: 0 });
          add(sf, { pos: n.getEnd(), end: n.getEnd(), text: '>', order: 0 });
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

// result.changes of an awaited run(): changesOf(result) (the async driver's type does not carry it).
for (const sf of files) {
  const visit = (n: ts.Node) => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'changes' && checker.getAwaitedType(checker.getTypeAtLocation(n.expression))?.getSymbol()?.getName() === 'SqliteRemoteResult') {
      add(sf, { pos: n.getStart(sf), end: n.getStart(sf), text: 'changesOf(', order: -1e11 });
      add(sf, { pos: n.expression.getEnd(), end: n.getEnd(), text: ')', order: 1e12 });
      needsImport.add(sf);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
for (const sf of needsImport) add(sf, { pos: 0, end: 0, text: "import { changesOf } from '@/db';\n", order: -1e12 });

for (const call of inOrderCalls) {
  const sf = call.getSourceFile();
  const callee = call.expression;
  const parent = skipParens(call);
  const awaited = parent && ts.isAwaitExpression(parent);
  const wrap = !awaited && !!parent && call.parent === parent && (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || (ts.isCallExpression(parent) && parent.expression === call) || ts.isNonNullExpression(parent));
  const lead = awaited ? 'inOrder(' : wrap ? '(await inOrder(' : 'await inOrder(';
  if (ts.isPropertyAccessExpression(callee) && callee.name.text !== 'from') {
    const x = callee.expression;
    add(sf, { pos: x.getStart(sf), end: x.getStart(sf), text: lead, order: -call.getEnd() - 0.5 });
    // ".map(" -> ", "
    const open = call.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.OpenParenToken)!;
    add(sf, { pos: x.getEnd(), end: open.getEnd(), text: ', ', order: 1e12 });
  } else {
    const src = call.arguments[0]!;
    add(sf, { pos: call.getStart(sf), end: call.getStart(sf), text: lead, order: -call.getEnd() - 0.5 });
    add(sf, { pos: src.getEnd(), end: src.getEnd(), text: ')', order: 0 });
  }
  if (wrap) add(sf, { pos: call.getEnd(), end: call.getEnd(), text: ')', order: call.getStart() });
  inOrderImport.add(sf);
  // The enclosing function awaits now.
  const f = enclosing(call);
  if (f && !toAsync.has(f)) flagged.push(`${where(call)}  inOrder in a function that was not async: check`);
}
for (const sf of inOrderImport) add(sf, { pos: 0, end: 0, text: "import { inOrder } from '@/lib/in-order';\n", order: -1e12 });

for (const d of asyncTypes) {
  if (!d.type) continue;
  const sf = d.getSourceFile();
  // Either: some functions of that type stay synchronous.
  const t = d.type.getText(sf);
  const one = /=>|\|/u.test(t) ? `(${t})` : t;
  add(sf, { pos: d.type.getStart(sf), end: d.type.getEnd(), text: `${one} | Promise<${t}>`, order: 0 });
}

let changed = 0;
for (const [file, list] of edits) {
  let text = fs.readFileSync(file, 'utf8');
  list.sort((a, b) => b.pos - a.pos || b.order - a.order);
  // Applied back to front; at one position the later in `list` ends up first in the text.
  for (const e of list) text = text.slice(0, e.pos) + e.text + text.slice(e.end);
  changed += 1;
  if (write) fs.writeFileSync(file, text);
}
console.log(`drizzle calls: ${seeds.length}; awaits added: ${toAwait.size}; functions made async: ${toAsync.size}; files: ${changed}`);
console.log(`flagged (${flagged.length}):`);
for (const f of [...new Set(flagged)].sort()) console.log('  ' + f);
