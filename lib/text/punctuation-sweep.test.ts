// Standing rule: every text the portal generates uses full-width punctuation next to Chinese
// (，：；（）？！ — GB/T 15834-2011). This sweep reads every string literal, template literal
// part and JSX text in the portal's own sources and fails, listing file:line, for any half-width
// , : ; ? ! ( ) that touches a Chinese character. It skips what is not meant for people:
// regular expressions (literals and strings given to RegExp), SQL (sql`` templates), import
// paths, and the few entries of ALLOWED below, each with its reason.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { halfWidthNextToChinese } from '@/lib/bulletin/punctuation';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIRS = ['app', 'components', 'lib', 'db', 'scripts'];
const SKIP_DIRS = new Set(['node_modules', 'migrations', 'fixtures', 'e2e']);
/** Developer benchmarks: synthetic input and console figures for developers, never shown to people. */
const SKIP_FILES = /^scripts\/bench(-\w+)?\.ts$/u;

/**
 * Known exceptions: `path` plus the exact literal text (or a distinctive part of it) and why.
 * An entry that no longer matches anything fails the sweep, so the list stays honest.
 */
export const ALLOWED: { file: string; contains: string; reason: string }[] = [
  {
    file: 'lib/bulletin/fixtures.ts',
    contains: '',
    reason: 'pasted 简报 as scraped from web pages, half-width marks and all: the input the parser must accept',
  },
  {
    file: 'db/sqlite/schema.ts',
    contains: '现将学员讨论发言情况整理如下:',
    reason:
      'column default never used (compose.ts and the factories insert DEFAULT_TRANSITION, full-width); changing it rebuilds the bulletins table in a migration — fix with the next schema change',
  },
  { file: 'scripts/start.ts', contains: 'http://localhost:', reason: 'the : before ${port} is part of the URL' },
  { file: 'lib/wording/rules.ts', contains: '(?<![学复练温研补见])习思想', reason: 'a 规范提法 rule’s pattern (a regular expression source), not text shown as written' },
  { file: 'lib/wording/rules.ts', contains: '(?<![“"])一带一路(?![”"])', reason: 'a 规范提法 rule’s pattern (a regular expression source), not text shown as written' },
  { file: 'lib/wording/rules.ts', contains: '不忘初心[，,\\s]?牢记使命', reason: 'a 规范提法 rule’s pattern (a regular expression source), not text shown as written' },
  { file: 'lib/wording/rules.ts', contains: '(?<![“"])三会一课(?![”"])', reason: 'a 规范提法 rule’s pattern (a regular expression source), not text shown as written' },
  { file: 'lib/wording/rules.ts', contains: '(?<![“"])两学一做(?![”"])', reason: 'a 规范提法 rule’s pattern (a regular expression source), not text shown as written' },
  { file: 'lib/wording/rules.ts', contains: '台湾国(?![民际])', reason: 'a 规范提法 rule’s pattern (a regular expression source), not text shown as written' },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return out;
  for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...sourceFiles(rel));
    } else if (SKIP_FILES.test(rel.split(path.sep).join('/'))) {
      continue;
    } else if (/\.tsx?$/u.test(entry.name) && !/\.test\.tsx?$/u.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
  return out;
}

/** The callee name of a call or tagged template, e.g. sql, RegExp, sql.raw → "sql.raw". */
function calleeName(expr: ts.Expression): string {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return `${calleeName(expr.expression)}.${expr.name.text}`;
  return '';
}

const NOT_FOR_PEOPLE = /^(sql(\.\w+)?|RegExp)$/u;

/** True when the node sits inside something that is data for a machine, not text for people. */
function machineText(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isImportTypeNode(p)) return true;
    if (ts.isTaggedTemplateExpression(p) && NOT_FOR_PEOPLE.test(calleeName(p.tag))) return true;
    if ((ts.isNewExpression(p) || ts.isCallExpression(p)) && NOT_FOR_PEOPLE.test(calleeName(p.expression))) return true;
    if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'require') return true;
  }
  return false;
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const HALF = ',:;?!()';

type Finding = { file: string; line: number; text: string; pairs: string[] };

function sweep(file: string, text = fs.readFileSync(path.join(ROOT, file), 'utf8')): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const check = (node: ts.Node, value: string) => {
    const pairs = halfWidthNextToChinese(value);
    if (pairs.length === 0 || machineText(node)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ file, line: line + 1, text: value, pairs });
  };
  // A mark at the edge of a template part or of a JSX text touches the value put there; in a
  // Chinese sentence (some part of it has Chinese) that is Chinese text too: `，${n} 人`, {a}，{b} 人.
  const edges = (node: ts.Node, value: string, start: boolean, end: boolean) => {
    const pairs: string[] = [];
    const first = value.slice(0, 1);
    const last = value.slice(-1);
    if (start && first && HALF.includes(first)) pairs.push(`·${first}`);
    if (end && last && HALF.includes(last)) pairs.push(`${last}·`);
    // A lone : between two values is a clock time or a ratio (${h}:${m}), not a Chinese colon.
    if (value === ':') return;
    if (pairs.length === 0 || halfWidthNextToChinese(value).length > 0 || machineText(node)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ file, line: line + 1, text: value, pairs });
  };
  const visit = (node: ts.Node) => {
    if (ts.isRegularExpressionLiteral(node)) return;
    if (ts.isTemplateExpression(node)) {
      const parts = [node.head, ...node.templateSpans.map((s) => s.literal)];
      if (parts.some((p) => CJK.test(p.text))) parts.forEach((p) => edges(p, p.text, true, true));
    }
    if (ts.isJsxElement(node) || ts.isJsxFragment(node)) {
      const kids = [...node.children].filter((k) => !(ts.isJsxText(k) && k.containsOnlyTriviaWhiteSpaces));
      if (kids.some((k) => ts.isJsxText(k) && CJK.test(k.text))) {
        kids.forEach((k, i) => {
          if (ts.isJsxText(k)) edges(k, k.text, i > 0 && !ts.isJsxText(kids[i - 1]!), i < kids.length - 1 && !ts.isJsxText(kids[i + 1]!));
        });
      }
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) check(node, node.text);
    else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) check(node, node.text);
    else if (ts.isJsxText(node)) check(node, node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('full-width punctuation next to Chinese in the portal’s own texts', () => {
  const files = DIRS.flatMap((d) => sourceFiles(d));
  const findings = files.flatMap((f) => sweep(f));

  it('reads the portal’s sources', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain(path.join('lib', 'action-result.ts'));
  });

  it('finds no half-width , : ; ? ! ( ) touching a Chinese character', () => {
    const allowed = (f: Finding) => ALLOWED.some((a) => a.file === f.file && f.text.includes(a.contains));
    const report = findings
      .filter((f) => !allowed(f))
      .map((f) => `${f.file}:${f.line}  ${f.pairs.join(' ')}  ${JSON.stringify(f.text.length > 80 ? `${f.text.slice(0, 80)}…` : f.text)}`);
    expect(report, `half-width punctuation next to Chinese (use ，：；（）？！):\n${report.join('\n')}`).toEqual([]);
  });

  it('keeps every allow-list entry in use', () => {
    const stale = ALLOWED.filter((a) => !findings.some((f) => f.file === a.file && f.text.includes(a.contains)));
    expect(stale).toEqual([]);
  });
});

describe('the sweep itself', () => {
  const tmp = (name: string, body: string) => sweep(name, body).map((f) => f.text);

  it('finds strings, template parts and JSX text (also marks next to a value in a Chinese sentence), and skips regexes, SQL and clock times', () => {
    const found = tmp(
      'x.tsx',
      [
        "const a = '请检查输入:';",
        'const b = `共${n}篇(含草稿)`;',
        'const c = <p>没有权限,请联系管理员</p>;',
        'const d = /^报送单位[:：]/u;',
        "const e = new RegExp('^第(\\\\d+)期,');",
        'const f = sql`SELECT 1 AS "名称(x)"`;',
        "const g = '请检查输入：';",
        'const h = `${d.getHours()}:${d.getMinutes()}`;',
        "const i = `已加入 ${n} 人${m ? `,${m} 人原已在班中` : ''}`;",
        'const j = <p>上次提醒：{at},{count} 人</p>;',
      ].join('\n'),
    );
    expect(found).toEqual(['请检查输入:', '篇(含草稿)', '没有权限,请联系管理员', ',', ',']);
  });
});
