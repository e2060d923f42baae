// npm run audit:verify: walks the audit log's hash chain (db/audit-chain.ts) and reports the first
// row whose content or place no longer matches its hash, or 完整. Exit code 1 when broken.
import { databaseLabel, getDb } from '../db';
import { verifyAuditChain } from '../db/audit-chain';

async function main(): Promise<void> {
  // One transaction: the chain is read as of one moment.
  const result = await getDb().transaction(async (tx) => await verifyAuditChain(tx));
  if (result.ok) {
    console.log(`审计日志完整：${databaseLabel()}，共 ${result.rows} 条记录，校验链无断点。`);
  } else {
    console.error(`审计日志校验失败：第 ${result.brokenAt} 号记录${result.reason}（自该条起被修改、删除或插入过）。已核对 ${result.rows} 条。`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error('审计日志校验出错：', e instanceof Error ? e.message : e);
  process.exit(1);
});
