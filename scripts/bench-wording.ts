// The 规范提法 part of `npm run bench` (also runnable alone: npx tsx scripts/bench-wording.ts):
// checking a 2,000-字 text against the default rules and the punctuation rules, p50/p95 over
// repeated runs, for a clean text and for one with findings every few sentences. The aim is
// ≤ 5 ms. The engine compiles the rules once (one alternation); the figures include the scan,
// the pairing of quotes and brackets, and building the findings.
import { checkWording } from '../lib/wording/engine';
import { DEFAULT_RULES } from '../lib/wording/rules';

const CLEAN = [
  '通过这次集中学习，我对党的自我革命有了更深刻的认识。',
  '坚持党建引领，把党的组织优势转化为基层治理效能。',
  '社区治理要把群众满不满意作为衡量工作的标准。',
  '要以三方共治破解老旧小区加装电梯、停车难等难题。',
  '一是强化理论武装，坚持读原著、学原文、悟原理。',
  '推进网格化管理，做到小事不出网格、大事不出社区。',
  '深入学习贯彻习近平新时代中国特色社会主义思想，读了《论党的自我革命》一书。',
  '详见 https://www.12371.cn/2024/01/01/ARTI1.shtml?from=a,b 的原文，增长 3.5%，比例 3:2。',
];
const FAULTY = [
  '学习习总书记重要讲话,深刻领会二十大精神。',
  '截止目前，其它同志也做出贡献(见附件)。。',
  '他说“要惯彻落实"，布署到位。',
  '增强四个意识：政治意识、核心意识、大局意识、看齐意识。',
];

function textOf(pool: readonly string[], faults: number): string {
  let out = '';
  let i = 0;
  while ([...out].length < 2000) {
    out += i % 8 === 7 && faults ? (FAULTY[i % FAULTY.length] as string) : (pool[i % pool.length] as string);
    if (i % 5 === 4) out += '\n';
    i++;
  }
  return [...out].slice(0, 2000).join('');
}

function measure(text: string, runs = 400): { p50: number; p95: number; findings: number } {
  let findings = 0;
  for (let i = 0; i < 20; i++) findings = checkWording(text, DEFAULT_RULES).length;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    checkWording(text, DEFAULT_RULES);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { p50: at(0.5), p95: at(0.95), findings };
}

export function benchWording(): void {
  console.log(`\n规范提法与标点 (issue 12): ${DEFAULT_RULES.length} default rules + punctuation, one compiled pattern; aim ≤ 5 ms for 2,000 字`);
  console.log(`  ${'text'.padEnd(44)} ${'findings'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
  for (const [name, text] of [
    ['2,000 字, clean', textOf(CLEAN, 0)],
    ['2,000 字, a finding every few sentences', textOf(CLEAN, 1)],
  ] as const) {
    const r = measure(text);
    console.log(`  ${name.padEnd(44)} ${String(r.findings).padStart(8)} ${r.p50.toFixed(3).padStart(8)} ${r.p95.toFixed(3).padStart(8)}`);
  }
}

if (process.argv[1]?.endsWith('bench-wording.ts')) benchWording();
