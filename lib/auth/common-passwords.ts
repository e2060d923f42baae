import { dictionary } from '@zxcvbn-ts/language-common';

// The zxcvbn-ts list holds about 30,000 passwords most often found in leaks; these are
// the ones people in China pick that it misses.
const LOCAL = [
  '5201314', 'woaini1314', 'woaini520', 'woaini123', 'iloveyou1314', 'a123456', 'a1234567',
  'a12345678', 'aa123456', 'abc123456', 'qq123456', 'qwe123456', 'asd123456', 'zxc123456',
  '1qaz2wsx', '1q2w3e4r', 'q1w2e3r4', 'zhang123', 'wang123456', 'li123456', 'admin123',
  'admin888', 'admin@123', 'root123', 'password1', 'p@ssw0rd', 'passw0rd', 'xuesi123',
  'xuesi2026', 'dangjian', 'dangyuan', 'gongchandang', 'zhongguo', 'china123',
  'beijing2008', '88888888', '66666666', '11111111', '12341234', '123123123', '147258369',
  '159357', '987654321', '1234567890', '0123456789', 'abcd1234', 'abcd12345', 'aaaa1111',
  'qwertyui', 'asdfghjk', 'zxcvbnm1', 'shanghai', 'shenzhen', 'guangzhou',
];

let set: Set<string> | undefined;

function commonSet(): Set<string> {
  if (!set) {
    set = new Set<string>();
    for (const p of dictionary['passwords-common']) set.add(p.toLowerCase());
    for (const p of LOCAL) set.add(p.toLowerCase());
  }
  return set;
}

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  if (commonSet().has(p)) return true;
  // One character repeated, or a run of consecutive digits/letters: 11111111, 12345678, abcdefgh.
  if (/^(.)\1+$/u.test(p)) return true;
  const codes = [...p].map((c) => c.codePointAt(0) ?? 0);
  const ascending = codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === 1);
  const descending = codes.every((c, i) => i === 0 || (codes[i - 1] ?? 0) - c === 1);
  return ascending || descending;
}
